// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

#ifndef ZEROBUFFER_DUPLEX_SRC_SESSION_HPP
#define ZEROBUFFER_DUPLEX_SRC_SESSION_HPP

// One client of a server, from its first request to its departure: the
// writer of its responses and, when handlers run concurrently, the order
// their responses are committed in.

#include "response_channel.hpp"

#include <zerobuffer/duplex/detail/response_order.hpp>

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <mutex>

namespace zerobuffer::duplex::detail {

struct session {
    session(std::string buffer_name, const server_options& options,
            const std::atomic<bool>& stopping, server_stats& stats, std::size_t max_in_flight)
        : channel(std::move(buffer_name), options, stopping, stats), order(max_in_flight)
    {
    }

    /// Waits until another request may be taken, and numbers it.
    std::uint64_t admit();
    /// Commits the parked responses whose turn has come (a committer calls
    /// it after its own commit, so none is left behind).
    void drain() noexcept;
    /// A concurrent task of this session ended.
    void task_done() noexcept;
    /// Waits until every admitted request is answered and every task ended.
    void wait_idle();

    response_channel channel;
    std::mutex mutex;
    std::condition_variable changed; // the turn moved, a task ended, room to admit
    response_order order;            // guarded by mutex
    std::size_t tasks = 0;           // guarded by mutex: posted, not yet ended
};

} // namespace zerobuffer::duplex::detail

#endif // ZEROBUFFER_DUPLEX_SRC_SESSION_HPP
