// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

#ifndef ZEROBUFFER_DUPLEX_SRC_RESPONSE_CHANNEL_HPP
#define ZEROBUFFER_DUPLEX_SRC_RESPONSE_CHANNEL_HPP

// The server's writer into one client's response buffer: waits for room as
// long as the client lives, drops what a departed client can no longer get,
// and counts how each response ended: every request is counted once, as
// handled, as a handler error, or as dropped, by the call that ends it (a
// commit, or `client_gone`; `frame_too_large` ends nothing: the caller then
// writes an error response).

#include "server_stats.hpp"

#include <zerobuffer/duplex/server.hpp>
#include <zerobuffer/writer.hpp>

#include <boost/system/error_code.hpp>

#include <atomic>
#include <chrono>
#include <cstddef>
#include <mutex>
#include <optional>
#include <span>
#include <stop_token>
#include <string>
#include <string_view>

namespace zerobuffer::duplex::detail {

class response_channel {
public:
    response_channel(std::string buffer_name, const server_options& options,
                     const std::atomic<bool>& stopping, server_stats& stats);

    /// Attaches to the client's response buffer, retrying up to the attach
    /// timeout or until `stop`; false when it could not (the session's
    /// responses are then dropped).
    bool attach(const std::stop_token& stop) noexcept;

    /// Gives the client up: its responses are dropped from now on, and the
    /// writer closes, so that the client sees the server go instead of
    /// waiting for responses that never come. Called by the holder of the
    /// turn (or with nothing in flight).
    void drop_client() noexcept;

    /// Writes one response. Errors: `frame_too_large`, `invalid_frame_size`
    /// (nothing written; the caller answers otherwise), `client_gone` (the
    /// response is dropped, and so is every later one).
    boost::system::error_code write(std::span<const std::byte> data);

    /// Writes an error response carrying `text` (only its marker when the
    /// ring is too small for the text); `client_gone` when dropped.
    boost::system::error_code write_error(std::string_view text) noexcept;

    /// Whether a response of `size` bytes can never fit the ring, wherever
    /// its write position (it is larger than the ring less a header).
    bool never_fits(std::size_t size) const noexcept;

    /// Reserves a response of `size` bytes; errors as `write`.
    std::span<std::byte> reserve(std::size_t size, boost::system::error_code& ec);
    /// Commits the reserved response; `client_gone` when it was dropped.
    boost::system::error_code commit();
    /// Drops the reserved response unpublished.
    void abandon() noexcept;

    /// True when attached and the client's reader lives.
    bool client_alive() const;
    bool broken() const noexcept { return broken_.load(std::memory_order_acquire); }
    /// Counts a response that never reached the ring (its session had no
    /// buffer, or the client left).
    void count_dropped() noexcept { server_stats::bump(stats_.requests_dropped); }
    void close() noexcept;

private:
    /// Whether a failure to find room means: wait again (the client lives
    /// and the server runs, or it stops and this was the first slice since).
    bool wait_again(bool& waited_while_stopping) const noexcept;
    boost::system::error_code give_up() noexcept;
    void count_committed(std::span<const std::byte> data) noexcept;

    std::string buffer_name_;
    writer_options writer_options_;
    std::chrono::nanoseconds attach_timeout_;
    const std::atomic<bool>& stopping_;
    server_stats& stats_;
    // Guards writer_'s presence against `client_alive` on an observer's
    // thread: only attach and close change it, and the writes that use it
    // happen between the two, on the session's threads.
    mutable std::mutex observer_mutex_;
    std::optional<writer> writer_;
    std::atomic<bool> broken_{false};
    std::uint64_t ring_size_ = 0; // the response ring's, once attached
};

} // namespace zerobuffer::duplex::detail

#endif // ZEROBUFFER_DUPLEX_SRC_RESPONSE_CHANNEL_HPP
