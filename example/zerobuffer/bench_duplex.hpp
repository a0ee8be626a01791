// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

#ifndef ZEROBUFFER_TOOL_BENCH_DUPLEX_HPP
#define ZEROBUFFER_TOOL_BENCH_DUPLEX_HPP

// The duplex measurements of `bench --duplex`: request/response round trips
// through a duplex echo server in a child process (beside the simplex
// ping-pong over two buffers of the same run), and how a thread pool scales
// a server whose handler sleeps.

#include "bench_support.hpp"

#include <cstdint>
#include <string>
#include <string_view>

namespace zerobuffer::tool::bench {

/// The server's processing strategy in a duplex measurement.
enum class duplex_processing {
    single_thread, ///< handlers on the server's receiving thread
    thread_pool,   ///< a pool of two threads
};

/// "single_thread" or "thread_pool": the name the report uses.
std::string_view to_string(duplex_processing p) noexcept;

/// Round trips of `size`-byte requests: this process is the client
/// (`send_request`, then `receive_response`), a child serves an echo that
/// writes each response from the request (`response_sink::write`, one copy
/// from ring to ring). Both sides wait `wait`'s way. Named after the wait.
latency_result duplex_latency(const settings& s, std::uint64_t size, const named_wait& wait,
                              duplex_processing processing);

/// A handler that sleeps `sleep_ms` then echoes, `pipeline` requests
/// outstanding: requests per second with the single-thread strategy and with
/// a pool of `threads`, and whether every response came in order.
struct pool_scaling_result {
    std::uint64_t threads = 8;
    std::uint64_t pipeline = 16;
    double sleep_ms = 1;
    double seconds = 0; ///< of each of the two runs
    double single_thread_rps = 0;
    double thread_pool_rps = 0;
    std::uint64_t out_of_order = 0; ///< responses whose sequence was not the next one
    double speedup() const noexcept;
};

/// Measures both strategies for `s.duration` each; both sides spin, then
/// block (whatever `s.wait`).
pool_scaling_result duplex_pool_scaling(const settings& s);

} // namespace zerobuffer::tool::bench

#endif // ZEROBUFFER_TOOL_BENCH_DUPLEX_HPP
