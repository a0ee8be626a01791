// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

#ifndef ZEROBUFFER_TOOL_BENCH_VIDEO_HPP
#define ZEROBUFFER_TOOL_BENCH_VIDEO_HPP

// The video workload of `bench --video`: Full HD YUV420 frames sent to a relay
// process over one buffer and back over a second, at fixed frame rates, beside
// what two plain memcpy of such a frame cost on this machine.

#include "bench_support.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace zerobuffer::tool::bench {

struct video_settings {
    /// 1920x1080 YUV420 (3,110,400 bytes) behind a 16-byte header: an 8-byte
    /// timestamp, a 4-byte frame number, 4 bytes of padding.
    std::uint64_t frame_size = 3'110'416;
    std::uint64_t ring_size = std::uint64_t{256} << 20;        ///< each of the two buffers
    std::uint64_t frames = 1000;                               ///< measured per rate
    std::uint64_t warmup = 100;                                ///< sent once, before the first rate
    std::vector<double> rates{30, 60, 120, 240, 500, 1000, 0}; ///< frames/s; 0: as fast as possible
};

/// min/avg/p50/p90/p99/max of a set of times, in milliseconds.
struct video_stats {
    std::size_t samples = 0;
    double min_ms = 0, avg_ms = 0, p50_ms = 0, p90_ms = 0, p99_ms = 0, max_ms = 0;
};

struct video_rate_result {
    double rate = 0;         ///< asked for; 0: as fast as possible
    double achieved_fps = 0; ///< frames measured / seconds they took
    video_stats round_trip;
    /// Two memcpy of the frame between ring-sized buffers, interleaved with
    /// the round trips at the same pace (half an interval after each): what
    /// the copies cost at this rate, on a core that idles as long between
    /// frames, in the same seconds of the machine's life. The target's base.
    video_stats baseline;
};

/// What carries the frames: a relay over two buffers, or a duplex echo
/// server (`bench --duplex --video`).
enum class video_path {
    simplex,     ///< forward and back, two buffers and a relay process
    duplex_echo, ///< a duplex client and an in-place echo server
};

struct video_result {
    video_settings settings;
    video_path path = video_path::simplex;
    std::string wait; ///< the strategy of both processes
    /// Two memcpy of a frame between ring-sized buffers, back to back (every
    /// cache and the core warm: the cheapest the copies get).
    video_stats baseline;
    /// The same two copies with streaming stores, as a writer makes them into
    /// a ring larger than the cache (copy_policy): what they save.
    video_stats streaming_baseline;
    std::vector<video_rate_result> rates;
};

/// The target the video round trip is held to: p50 / its rate's baseline p50.
constexpr double video_target_ratio = 1.25;

/// Runs the workload: one relay child (or duplex echo server), both rings of
/// `v.ring_size`, each rate of `v.rates` in turn. Waits `s.wait`'s way; pins
/// like the other runs.
video_result video_round_trips(const settings& s, const video_settings& v,
                               video_path path = video_path::simplex);

/// The rate as the report names it: "30", "1000", "max".
std::string rate_name(double rate);

} // namespace zerobuffer::tool::bench

#endif // ZEROBUFFER_TOOL_BENCH_VIDEO_HPP
