// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

#ifndef ZEROBUFFER_TOOL_BENCH_ASIO_HPP
#define ZEROBUFFER_TOOL_BENCH_ASIO_HPP

// The asynchronous measurements of `bench --asio`: the same two processes
// as the synchronous ones, each side one io_context thread running a
// coroutine over `zerobuffer::asio` (co_spawn + use_awaitable). They run in
// the rounds of the synchronous figures they are judged by.

#include "bench_support.hpp"

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace zerobuffer::tool::bench {

/// The CPU time of a process whose io_context has an `async_read_frame`
/// pending on a buffer whose writer is attached and writes nothing.
struct idle_cpu_result {
    std::string name; ///< the reader's wait strategy
    double seconds = 0;
    cpu_times cpu; ///< the whole process: its io_context thread and the wait service's
    /// CPU milliseconds per second of the window.
    double ms_per_s() const noexcept;
};

/// What `bench --asio` measured; the synchronous figures it is compared
/// with are the report's own (same waits, headline size, same rounds).
struct asio_results {
    std::vector<latency_result> round_trips; ///< one per wait, named after it
    throughput_result streaming;             ///< at the headline size, the waits' first
    std::vector<idle_cpu_result> idle;       ///< one per wait
};

/// The targets: async median round trip / sync, same wait and run.
constexpr double asio_blocking_target_ratio = 1.3;
constexpr double asio_spin_target_ratio = 2;
/// Async frames/s / sync frames/s, at least.
constexpr double asio_streaming_target_ratio = 0.5;
/// An idle reader's CPU milliseconds per second, at most: the liveness look
/// every 100 ms and nothing else.
constexpr double asio_idle_target_ms_per_s = 1;

/// The strategies `--asio` measures: an event loop's busy-poll spins and
/// then sleeps, as spin-then-block does, so it is not one of them.
bool asio_measures(const named_wait& wait) noexcept;

/// Round trips of `s.latency_size`-byte messages over two buffers: this
/// process writes to "ping" (`async_write_frame`) and awaits the child's echo
/// on "pong" (`async_read_frame`); the child awaits each ping and writes it
/// back, both sides waiting `wait`'s way. Named after the wait.
latency_result asio_latency(const settings& s, const named_wait& wait);

/// One-way throughput of `size`-byte frames: this process awaits each
/// `async_write_frame`, a child awaits each `async_read_frame` and releases
/// the frame at once. Both wait `s.wait`'s way.
throughput_result asio_throughput(const settings& s, std::uint64_t size);

/// A child's reader with one `async_read_frame` pending, measured for `idle`
/// once the read sleeps, while this process keeps the writer attached and
/// writes nothing.
idle_cpu_result asio_idle_cpu(const settings& s, const named_wait& wait,
                              std::chrono::nanoseconds idle);

} // namespace zerobuffer::tool::bench

#endif // ZEROBUFFER_TOOL_BENCH_ASIO_HPP
