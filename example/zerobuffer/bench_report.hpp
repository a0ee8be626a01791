// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

#ifndef ZEROBUFFER_TOOL_BENCH_REPORT_HPP
#define ZEROBUFFER_TOOL_BENCH_REPORT_HPP

// What one `bench` run measured, the performance targets it is judged by,
// and its two renderings: the table and the --json object.

#include "bench_asio.hpp"
#include "bench_duplex.hpp"
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
    std::vector<throughput_result> floors;     ///< the streaming floor, same order
    std::vector<latency_result> zerobuffer;    ///< one per wait and size, named after the wait
    std::vector<latency_result> baselines;     ///< the floor, semaphore, pipe, Unix socket
    std::optional<video_result> video;
    /// --duplex: round trips through a duplex echo server, one per wait and
    /// size (named after the wait), for each processing strategy.
    std::vector<latency_result> duplex_single_thread;
    std::vector<latency_result> duplex_thread_pool;
    std::optional<pool_scaling_result> pool_scaling;
    std::optional<video_result> duplex_video; ///< --duplex --video
    std::optional<asio_results> asio;         ///< --asio
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

/// One target over the runs of `--repeat`: its value in each run (NaN where
/// a run did not measure it), and their median and range over the runs that
/// did. It is met when every run measured it and its median meets it.
struct repeated_target {
    target first;               ///< as the first run states it: key, limit, ...
    std::vector<double> values; ///< one per run
    double median = 0, min = 0, max = 0;
    bool met() const noexcept;
};

/// Every target of every run in `runs`, by key, in the order of first sight.
std::vector<repeated_target> repeated_targets(const std::vector<report>& runs, const settings& s);

/// The zerobuffer round trips with `wait` of `size`-byte messages, or null.
const latency_result* find_zerobuffer(const report& r, std::string_view wait, std::uint64_t size);
/// The duplex round trips under `processing` with `wait` of `size`-byte
/// requests, or null.
const latency_result* find_duplex(const report& r, duplex_processing processing,
                                  std::string_view wait, std::uint64_t size);
/// The asynchronous round trips with `wait` (--asio), or null.
const latency_result* find_asio(const report& r, std::string_view wait);
/// The baseline called `name`, or null.
const latency_result* find_baseline(const report& r, std::string_view name);

/// The target a duplex round trip is held to: median / the simplex ping-pong
/// over two buffers of the same wait and size, same run.
constexpr double duplex_target_ratio = 1.2;
/// The target of the pool: requests/s of a pool of 8 / single thread.
constexpr double pool_target_speedup = 6;

/// The target of the asynchronous round trips with `wait`: median async /
/// median sync (same wait, headline size, same run).
double asio_target_ratio(std::string_view wait) noexcept;
/// The synchronous one-way throughput of `size`-byte frames, or null.
const throughput_result* find_throughput(const report& r, std::uint64_t size);
/// The streaming floor of `size`-byte frames, or null.
const throughput_result* find_floor(const report& r, std::uint64_t size);

/// The target of 64 B streaming: frames/s / the streaming floor's.
constexpr double streaming_floor_target_ratio = 0.5;
/// The targets of the video round trips at every rate: p50 / the paced
/// copies' p50 (`video_target_ratio`), and p99 / p50.
constexpr double video_p99_target_ratio = 1.5;

/// a / b, NaN when b is not positive.
double ratio(double a, double b) noexcept;
/// CPU time as a percentage of one core over `seconds`.
double percent(const cpu_times& cpu, double seconds) noexcept;

/// The human-readable report on stdout, in parts so that the throughput rows
/// appear as they are measured.
void print_settings(const settings& s, const std::optional<video_settings>& video);
void print_throughput_header();
void print_throughput_row(const throughput_result& t, const memcpy_result& m,
                          const throughput_result& floor);
void print_rest(const report& r, const settings& s);

/// The whole report as one JSON object on one line of stdout.
void print_json(const report& r, const settings& s);

/// After the runs of `--repeat`: the targets over them, as a table...
void print_repeated_targets(const std::vector<report>& runs, const settings& s);
/// ... or as one JSON object with every run's report and the targets over them.
void print_repeated_json(const std::vector<report>& runs, const settings& s);

} // namespace zerobuffer::tool::bench

#endif // ZEROBUFFER_TOOL_BENCH_REPORT_HPP
