// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

#ifndef ZEROBUFFER_DUPLEX_PROCESSING_HPP
#define ZEROBUFFER_DUPLEX_PROCESSING_HPP

/// @file
/// How a server runs its handlers: on its own receiving thread, on a pool of
/// its own, or on an Asio executor the user gives it.

#include <boost/asio/any_io_executor.hpp>

#include <cstddef>
#include <optional>
#include <stdexcept>

namespace zerobuffer::duplex {

/// A server's processing strategy. Whatever the strategy, the n-th response
/// answers the n-th request: results that complete out of order wait for
/// their turn, and at most `max_in_flight()` requests are taken from the
/// request ring before their responses are committed, so memory stays bounded
/// and a slow handler pushes back on the client through the request ring.
class processing {
public:
    enum class kind {
        single_thread, ///< handlers run one at a time on the server's receiving thread
        thread_pool,   ///< a pool of the server's own threads
        executor,      ///< the user's executor
    };

    /// One request at a time, in order, on the thread that reads requests:
    /// no hand-off between threads, the lowest latency.
    static processing single_thread() noexcept { return processing(kind::single_thread, 1, 1); }

    /// Single thread for a deferred handler: called on the receiving thread,
    /// up to `max_pending` requests answered later (the server picks this
    /// when a deferred handler starts under `single_thread()`).
    static processing single_thread_deferred(std::size_t max_pending) noexcept
    {
        return processing(kind::single_thread, 1, max_pending);
    }

    /// A pool of `threads` workers owned by the server (a
    /// `boost::asio::thread_pool`) runs handlers concurrently;
    /// `max_in_flight` 0 means twice the threads.
    /// Throws `std::invalid_argument` when `threads` is 0.
    static processing thread_pool(std::size_t threads, std::size_t max_in_flight = 0)
    {
        if (threads == 0) {
            throw std::invalid_argument("duplex::processing::thread_pool: no threads");
        }
        return processing(kind::thread_pool, threads,
                          max_in_flight != 0 ? max_in_flight : 2 * threads);
    }

    /// Handlers are posted to `executor` (an `io_context`'s, a strand, a
    /// `thread_pool`'s: anything `boost::asio::any_io_executor` holds), at
    /// most `max_in_flight` at a time. The executor must start work in the
    /// order it was posted (every Asio executor does) and keep running until
    /// the server's `stop()` returns (a request it destroys unrun is
    /// answered with an error response). A strand runs them one at a time.
    /// Throws `std::invalid_argument` for an empty executor or
    /// `max_in_flight` 0.
    static processing on(boost::asio::any_io_executor executor, std::size_t max_in_flight = 16)
    {
        if (!executor || max_in_flight == 0) {
            throw std::invalid_argument(
                "duplex::processing::on: an empty executor, or max_in_flight 0");
        }
        processing p(kind::executor, 0, max_in_flight);
        p.executor_ = std::move(executor);
        return p;
    }

    kind strategy() const noexcept { return kind_; }
    std::size_t threads() const noexcept { return threads_; }
    std::size_t max_in_flight() const noexcept { return max_in_flight_; }
    /// The user's executor (`kind::executor` only).
    const std::optional<boost::asio::any_io_executor>& executor() const noexcept
    {
        return executor_;
    }

private:
    processing(kind k, std::size_t threads, std::size_t max_in_flight) noexcept
        : kind_(k), threads_(threads), max_in_flight_(max_in_flight)
    {
    }

    kind kind_;
    std::size_t threads_;
    std::size_t max_in_flight_;
    std::optional<boost::asio::any_io_executor> executor_;
};

} // namespace zerobuffer::duplex

#endif // ZEROBUFFER_DUPLEX_PROCESSING_HPP
