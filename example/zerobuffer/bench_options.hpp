// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

#ifndef ZEROBUFFER_TOOL_BENCH_OPTIONS_HPP
#define ZEROBUFFER_TOOL_BENCH_OPTIONS_HPP

// The command line of `bench`, read into its settings: every bad value is a
// `usage_error` naming the option.

#include "bench_support.hpp"
#include "bench_video.hpp"
#include "options.hpp"

#include <chrono>
#include <optional>

namespace zerobuffer::tool::bench {

/// --sizes, --duration, --warmup, --latency-size, --payload-size, --waits or
/// --wait, --rounds, --pin; with --asio, the headline size joins the sizes
/// and spin and blocking the waits.
settings parse_settings(const po::variables_map& vm);

/// --video and its options; empty without --video.
std::optional<video_settings> parse_video(const po::variables_map& vm);

/// --asio-idle: how long the idle reader's read is pending.
std::chrono::nanoseconds parse_asio_idle(const po::variables_map& vm);

/// --repeat: how many whole runs, 1 to 100.
unsigned parse_repeat(const po::variables_map& vm);

} // namespace zerobuffer::tool::bench

#endif // ZEROBUFFER_TOOL_BENCH_OPTIONS_HPP
