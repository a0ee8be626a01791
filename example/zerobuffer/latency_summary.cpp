// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

#include "latency_summary.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace zerobuffer::tool {

namespace {

double to_us(std::chrono::nanoseconds d) noexcept
{
    return std::chrono::duration<double, std::micro>(d).count();
}

/// The nearest-rank percentile `p` (0..100) of sorted, non-empty `v`.
std::chrono::nanoseconds rank(const std::vector<std::chrono::nanoseconds>& v, double p)
{
    const auto n = static_cast<double>(v.size());
    const auto r = static_cast<std::size_t>(std::ceil(p / 100.0 * n));
    return v[std::clamp<std::size_t>(r, 1, v.size()) - 1];
}

} // namespace

latency_summary latency_summary::of(std::vector<std::chrono::nanoseconds> samples)
{
    latency_summary s;
    s.samples = samples.size();
    if (samples.empty()) {
        return s;
    }
    std::sort(samples.begin(), samples.end());
    s.min_us = to_us(samples.front());
    s.p50_us = to_us(rank(samples, 50));
    s.p90_us = to_us(rank(samples, 90));
    s.p99_us = to_us(rank(samples, 99));
    s.max_us = to_us(samples.back());
    return s;
}

boost::json::object latency_summary::to_json() const
{
    const auto figure = [&](double v) {
        return samples == 0 ? boost::json::value(nullptr) : boost::json::value(v);
    };
    return {{"samples", samples},    {"min", figure(min_us)}, {"p50", figure(p50_us)},
            {"p90", figure(p90_us)}, {"p99", figure(p99_us)}, {"max", figure(max_us)}};
}

std::string latency_summary::describe() const
{
    if (samples == 0) {
        return "no round trips";
    }
    char text[160];
    std::snprintf(text, sizeof text, "min %.1f  p50 %.1f  p90 %.1f  p99 %.1f  max %.1f us", min_us,
                  p50_us, p90_us, p99_us, max_us);
    return text;
}

} // namespace zerobuffer::tool
