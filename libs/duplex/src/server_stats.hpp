// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

#ifndef ZEROBUFFER_DUPLEX_SRC_SERVER_STATS_HPP
#define ZEROBUFFER_DUPLEX_SRC_SERVER_STATS_HPP

// A server's counters, updated from any of its threads.

#include <zerobuffer/duplex/server.hpp>

#include <atomic>
#include <cstdint>

namespace zerobuffer::duplex::detail {

struct server_stats {
    std::atomic<std::uint64_t> requests_handled{0};
    std::atomic<std::uint64_t> handler_errors{0};
    std::atomic<std::uint64_t> clients_served{0};
    std::atomic<std::uint64_t> requests_dropped{0};
    std::atomic<std::uint64_t> request_buffers_renewed{0};

    static void bump(std::atomic<std::uint64_t>& count) noexcept
    {
        count.fetch_add(1, std::memory_order_relaxed);
    }

    server_counters snapshot() const noexcept
    {
        return {requests_handled.load(std::memory_order_relaxed),
                handler_errors.load(std::memory_order_relaxed),
                clients_served.load(std::memory_order_relaxed),
                requests_dropped.load(std::memory_order_relaxed),
                request_buffers_renewed.load(std::memory_order_relaxed)};
    }
};

} // namespace zerobuffer::duplex::detail

#endif // ZEROBUFFER_DUPLEX_SRC_SERVER_STATS_HPP
