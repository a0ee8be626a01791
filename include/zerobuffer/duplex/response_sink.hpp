// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

#ifndef ZEROBUFFER_DUPLEX_RESPONSE_SINK_HPP
#define ZEROBUFFER_DUPLEX_RESPONSE_SINK_HPP

/// @file
/// Where an in-place handler puts its response: straight into the response
/// ring, with no intermediate copy.

#include <zerobuffer/writer.hpp>

#include <cstddef>
#include <cstdint>
#include <span>

namespace zerobuffer::duplex {

namespace detail {
class response_slot;
} // namespace detail

/// The response of one request, handed to an in-place handler.
///
/// Exactly one response per request: either `get_buffer(n)`, fill the span,
/// then `commit()` (zero-copy: the span lies in the response ring), or
/// `write(bytes)` (one copy into the ring). A handler that returns after
/// `get_buffer` without `commit()` has its response committed as filled; one
/// that returns without any response, or throws, gets an error response
/// (the client sees `handler_failed`).
///
/// Under a thread pool or a user's executor, handlers run concurrently but the
/// ring takes responses in request order: `get_buffer` waits until every
/// earlier response has been committed, so the write into the ring is in
/// order and concurrent only up to that point; `write` never waits for
/// earlier responses (it parks a copy when its turn has not come).
///
/// Errors: `get_buffer` and `write` throw `frame_too_large` (a response that
/// can never fit the response ring), `invalid_frame_size` (empty),
/// `invalid_state` (a second response), and `client_gone` when the client
/// left: the handler may catch the first three and answer otherwise.
///
/// Thread safety: used by the handler it was given to, on one thread.
class response_sink {
public:
    response_sink(const response_sink&) = delete;
    response_sink& operator=(const response_sink&) = delete;

    /// Reserves a response of `size` bytes in the response ring and returns
    /// its data area. Waits for the response's turn and for free space.
    std::span<std::byte> get_buffer(std::size_t size);

    /// Publishes the response reserved by `get_buffer`.
    /// Throws `invalid_state` when none is reserved.
    void commit();

    /// Copies `data` as the response.
    void write(std::span<const std::byte> data);
    template <contiguous_bytes_source R>
    void write(const R& data)
    {
        write(std::as_bytes(std::span(std::ranges::data(data), std::ranges::size(data))));
    }

    /// The sequence number the response will carry (its request's).
    std::uint64_t sequence() const noexcept { return sequence_; }

private:
    friend class detail::response_slot;
    response_sink(detail::response_slot& slot, std::uint64_t sequence) noexcept
        : slot_(&slot), sequence_(sequence)
    {
    }

    detail::response_slot* slot_;
    std::uint64_t sequence_;
};

} // namespace zerobuffer::duplex

#endif // ZEROBUFFER_DUPLEX_RESPONSE_SINK_HPP
