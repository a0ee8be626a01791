// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

#ifndef ZEROBUFFER_DUPLEX_PENDING_REQUEST_HPP
#define ZEROBUFFER_DUPLEX_PENDING_REQUEST_HPP

/// @file
/// A request an asynchronous handler answers later, from any thread: after
/// awaiting other I/O, in a coroutine, in a completion handler.

#include <zerobuffer/duplex/request.hpp>
#include <zerobuffer/writer.hpp>

#include <cstdint>
#include <memory>
#include <span>
#include <string_view>

namespace zerobuffer::duplex {

namespace detail {
struct pending_state;
class server_impl;
} // namespace detail

/// One request taken by a server whose handler answers asynchronously
/// (`handler(pending_request)`). Move-only; it owns the request's frame,
/// which stays in the request ring (zero-copy) until the request is answered.
///
/// Answer it once, from any thread: `respond(bytes)` or `fail(reason)`. The
/// response is committed in request order: one that comes before its turn
/// is kept (copied) until then. Destroying it unanswered answers with an
/// error response (the client sees `handler_failed`), so every request still
/// gets exactly one response. The server's `stop()` waits until every pending
/// request was answered or destroyed.
///
/// Thread safety: one thread at a time uses an object; different pending
/// requests from any threads.
class pending_request {
public:
    pending_request(pending_request&&) noexcept;
    pending_request& operator=(pending_request&&) noexcept;
    /// Answers with an error response when still pending.
    ~pending_request();

    /// The request (valid while this object is pending).
    request get() const noexcept;
    std::span<const std::byte> bytes() const noexcept { return get().bytes(); }
    std::uint64_t sequence() const noexcept { return get().sequence(); }

    /// Answers with a copy of `data`. When its turn has come it is written at
    /// once, waiting for room in the response ring (as long as the client
    /// lives). An empty response, or one that can never fit the ring, is
    /// answered with an error response instead; a client that left drops
    /// it. Throws `invalid_state` when already answered.
    void respond(std::span<const std::byte> data);
    template <contiguous_bytes_source R>
    void respond(const R& data)
    {
        respond(std::as_bytes(std::span(std::ranges::data(data), std::ranges::size(data))));
    }

    /// Answers with an error response carrying `reason` (`handler_failed` at
    /// our client). Throws `invalid_state` when already answered.
    void fail(std::string_view reason);

    /// True until answered (or moved from).
    bool pending() const noexcept { return state_ != nullptr; }

private:
    friend class detail::server_impl;
    explicit pending_request(std::unique_ptr<detail::pending_state> state) noexcept;
    void answered() noexcept;

    std::unique_ptr<detail::pending_state> state_;
};

} // namespace zerobuffer::duplex

#endif // ZEROBUFFER_DUPLEX_PENDING_REQUEST_HPP
