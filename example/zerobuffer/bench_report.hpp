// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

#ifndef ZEROBUFFER_TOOL_BENCH_REPORT_HPP
#define ZEROBUFFER_TOOL_BENCH_REPORT_HPP

// What one `bench` run measured, the performance targets it is judged by,
// and its two renderings: the table and the --json object.

#include "bench_support.hpp"
#include "bench_video.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace zerobuffer::tool::bench {

struct report {
    std::vector<throughput_result> throughput; ///< one per --sizes
    std::vector<memcpy_result> copies;         ///< memcpy_into_ring, same order
    std::vector<latency_result> zerobuffer;    ///< one per wait and size, named after the wait
    std::vector<latency_result> baselines;     ///< the floor, semaphore, pipe, Unix socket
    std::optional<video_result> video;
};

/// One performance target: `value` (NaN when not measured in this run)
/// against `limit`, which it must stay at or below (`at_most`) or reach.
struct target {
    std::string key;         ///< its name in --json
    std::string description; ///< what the value is, for the table
    std::uint64_t size = 0;  ///< the message or frame size it is stated at
    double value = 0;
    double limit = 0;
    bool at_most = true;
    bool met() const noexcept;
};

/// The targets the library's performance goals name, computed from `r`.
std::vector<target> targets(const report& r, const settings& s);

/// The zerobuffer round trips with `wait` of `size`-byte messages, or null.
const latency_result* find_zerobuffer(const report& r, std::string_view wait, std::uint64_t size);
/// The baseline called `name`, or null.
const latency_result* find_baseline(const report& r, std::string_view name);

/// a / b, NaN when b is not positive.
double ratio(double a, double b) noexcept;
/// CPU time as a percentage of one core over `seconds`.
double percent(const cpu_times& cpu, double seconds) noexcept;

/// The human-readable report on stdout, in parts so that the throughput rows
/// appear as they are measured.
void print_settings(const settings& s, const std::optional<video_settings>& video);
void print_throughput_header();
void print_throughput_row(const throughput_result& t, const memcpy_result& m);
void print_rest(const report& r, const settings& s);

/// The whole report as one JSON object on one line of stdout.
void print_json(const report& r, const settings& s);

} // namespace zerobuffer::tool::bench

#endif // ZEROBUFFER_TOOL_BENCH_REPORT_HPP
