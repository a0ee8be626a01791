// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

#ifndef ZEROBUFFER_TOOL_BENCH_RUN_HPP
#define ZEROBUFFER_TOOL_BENCH_RUN_HPP

// What one `bench` run measures, and the run itself; `--repeat` makes several.

#include "bench_report.hpp"
#include "bench_video.hpp"

#include <chrono>
#include <optional>

namespace zerobuffer::tool::bench {

/// Everything the command line asks a run to measure.
struct run_plan {
    settings s;
    std::optional<video_settings> video;  ///< --video
    bool duplex = false;                  ///< --duplex
    bool asio = false;                    ///< --asio
    std::chrono::nanoseconds asio_idle{}; ///< --asio-idle
};

/// Measures everything of `plan` once: the throughput (each size beside its
/// memcpy, the asio stream and the streaming floor), then the round trips
/// and their baselines (each in `plan.s.rounds` rounds taken in turn), the
/// duplex pool, the idle asio reader and the video. With `print_rows`, each
/// throughput row is printed as soon as it is measured.
report measure_all(const run_plan& plan, bool print_rows);

} // namespace zerobuffer::tool::bench

#endif // ZEROBUFFER_TOOL_BENCH_RUN_HPP
