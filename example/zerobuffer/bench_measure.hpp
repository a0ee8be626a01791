// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

#ifndef ZEROBUFFER_TOOL_BENCH_MEASURE_HPP
#define ZEROBUFFER_TOOL_BENCH_MEASURE_HPP

// The measurements of `bench`. Each runs its two sides in two processes (a
// fork of this one), warms up, then measures for the configured duration.

#include "bench_support.hpp"

namespace zerobuffer::tool::bench {

/// One-way throughput: this process writes `size`-byte frames (copied in),
/// a child reads and releases each at once. Both wait `s.wait`'s way.
throughput_result zerobuffer_throughput(const settings& s, std::uint64_t size);

/// Round trips of `size`-byte messages over two buffers: this process writes
/// to "ping" and waits for the child's echo on "pong"; both wait `wait`'s way.
/// The result is named after the strategy.
latency_result zerobuffer_latency(const settings& s, std::uint64_t size, const named_wait& wait);

/// Single-core memcpy of `size`-byte frames into a destination the size of the
/// ring of the throughput run, walking it as frames walk the ring.
memcpy_result memcpy_into_ring(const settings& s, std::uint64_t size);

/// The floor of any shared-memory round trip: two processes busy-polling one
/// cache line each (see bench_floor.cpp).
latency_result busy_poll_floor_latency(const settings& s);
/// The floor of one-way streaming: `size`-byte records through the minimal
/// ring of record_ring.hpp, as large as the zerobuffer run's, both sides
/// spinning (see bench_floor.cpp).
throughput_result streaming_floor_throughput(const settings& s, std::uint64_t size);
/// Round trips between two processes: two POSIX semaphores in shared memory.
latency_result semaphore_latency(const settings& s);
/// Round trips through two pipes.
latency_result pipe_latency(const settings& s);
/// Round trips through a Unix domain stream socket pair.
latency_result unix_socket_latency(const settings& s);

} // namespace zerobuffer::tool::bench

#endif // ZEROBUFFER_TOOL_BENCH_MEASURE_HPP
