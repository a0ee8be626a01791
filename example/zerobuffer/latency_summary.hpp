// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

#ifndef ZEROBUFFER_TOOL_LATENCY_SUMMARY_HPP
#define ZEROBUFFER_TOOL_LATENCY_SUMMARY_HPP

// What `request` reports of its round trips: min, p50, p90, p99 and max.

#include <boost/json/object.hpp>

#include <chrono>
#include <string>
#include <vector>

namespace zerobuffer::tool {

/// Percentiles of some latencies, in microseconds (nearest rank: each is one
/// of the samples).
struct latency_summary {
    std::size_t samples = 0;
    double min_us = 0;
    double p50_us = 0;
    double p90_us = 0;
    double p99_us = 0;
    double max_us = 0;

    /// Sorts `samples` (hence by value).
    static latency_summary of(std::vector<std::chrono::nanoseconds> samples);

    /// {"samples":..,"min":..,"p50":..,"p90":..,"p99":..,"max":..}; the
    /// figures are null without samples.
    boost::json::object to_json() const;
    /// "min 12.3 p50 15.0 p90 20.1 p99 40.2 max 95.0 us".
    std::string describe() const;
};

} // namespace zerobuffer::tool

#endif // ZEROBUFFER_TOOL_LATENCY_SUMMARY_HPP
