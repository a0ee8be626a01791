// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

#ifndef ZEROBUFFER_DUPLEX_CLIENT_HPP
#define ZEROBUFFER_DUPLEX_CLIENT_HPP

/// @file
/// The client of a duplex channel: sends requests, receives their responses.

#include <zerobuffer/buffer_config.hpp>
#include <zerobuffer/duplex/channel.hpp>
#include <zerobuffer/error.hpp>
#include <zerobuffer/frame.hpp>
#include <zerobuffer/writer.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>

namespace zerobuffer::duplex {

namespace detail {
class client_impl;
} // namespace detail

/// How a client creates its response buffer and writes requests.
struct client_options {
    /// The response buffer the client creates (`NAME_response`): sizes, mode,
    /// and the wait strategy for responses.
    buffer_config response = default_buffer_config();
    /// How the client attaches to the request buffer and writes requests
    /// (`connect_timeout`: how long to wait for the server's request buffer).
    writer_options request = {};
};

/// The client of the channel `name`.
///
/// Construction creates the response buffer `NAME_response`, then attaches a
/// writer to the server's `NAME_request` (so the server finds the response
/// buffer at the first request). Destruction (or `close()`) detaches and
/// removes the response buffer.
///
/// Requests may be pipelined: any number outstanding (bounded by the rings),
/// answered in order; a response carries its request's sequence number.
/// Two ways to receive, not to be mixed on one client:
/// - `receive_response` hands out responses in order, for one consumer;
/// - `request` sends and waits for *its* response, from any number of
///   threads at once: whichever thread reads a response that belongs to
///   another keeps it for that thread.
///
/// Errors: `server_dead` when the server process is gone (found within about
/// the response buffer's liveness interval), `server_stopped` when it stopped,
/// `handler_failed` for a request whose handler failed (the response is an
/// error response; `error_response_text` has the server's text), and the
/// errors of the writer and the reader beneath.
///
/// Errors on construction: those of `reader` for the response buffer
/// (`reader_already_exists`: another client of this channel is alive) and of
/// `writer` for the request buffer (`no_reader`: no server;
/// `writer_already_connected`: another client is attached).
///
/// Thread safety: `send_request`, `request` and the observers from any
/// thread; a zero-copy request (`get_request_buffer` ... `commit_request`)
/// is made by one thread, which holds the sending side meanwhile;
/// `receive_response` by one thread at a time; `close()` from any thread
/// (waits then end with `operation_aborted`).
class client {
public:
    explicit client(std::string_view name, const client_options& options = {});
    client(client&&) noexcept;
    client& operator=(client&&) noexcept;
    ~client();

    /// Writes `data` as a request (waiting for room up to the request
    /// writer's write timeout) and returns its sequence number.
    std::uint64_t send_request(std::span<const std::byte> data);
    std::uint64_t send_request(std::span<const std::byte> data, boost::system::error_code& ec);
    template <contiguous_bytes_source R>
    std::uint64_t send_request(const R& data)
    {
        return send_request(as_byte_span(data));
    }
    template <contiguous_bytes_source R>
    std::uint64_t send_request(const R& data, boost::system::error_code& ec)
    {
        return send_request(as_byte_span(data), ec);
    }

    /// Writes `data` as a request if the request ring has room now and
    /// returns its sequence number; 0 when it has none (would block: not an
    /// error). A client that pipelines deeply sends with this and reads
    /// responses while the ring is full: a server whose response ring is
    /// full waits for this client to read, so a client blocked sending would
    /// wait out its write timeout.
    std::uint64_t try_send_request(std::span<const std::byte> data);
    std::uint64_t try_send_request(std::span<const std::byte> data, boost::system::error_code& ec);
    template <contiguous_bytes_source R>
    std::uint64_t try_send_request(const R& data)
    {
        return try_send_request(as_byte_span(data));
    }

    /// Zero-copy request: reserves `size` bytes in the request ring and
    /// returns them; fill them, then `commit_request()`. The calling thread
    /// holds the sending side until it commits.
    std::span<std::byte> get_request_buffer(std::size_t size);
    std::span<std::byte> get_request_buffer(std::size_t size, boost::system::error_code& ec);
    /// Publishes the reserved request and returns its sequence number.
    /// `invalid_state` when the calling thread reserved none (a second
    /// `get_request_buffer` on the thread that holds one is `invalid_state`
    /// too).
    std::uint64_t commit_request();
    std::uint64_t commit_request(boost::system::error_code& ec);
    /// Drops the calling thread's reserved request unpublished (nothing is
    /// sent, no sequence number is used) and frees the sending side. Does
    /// nothing when the thread reserved none.
    void abandon_request() noexcept;

    /// The next response, waiting up to `timeout` (0: only one that is
    /// there already); an invalid frame on a timeout. The frame is zero-copy (it stays in the
    /// response ring until released) and `sequence()` equals its request's. An error response
    /// throws `handler_failed` (the `ec` form reports it and returns the
    /// frame, whose `error_response_text` says why).
    frame receive_response(std::chrono::nanoseconds timeout);
    frame receive_response(std::chrono::nanoseconds timeout, boost::system::error_code& ec);

    /// Sends `data` and waits up to `timeout` for its response, while other
    /// threads do the same. `timed_out` when none came in time (a late
    /// response is then released unread).
    frame request(std::span<const std::byte> data, std::chrono::nanoseconds timeout);
    frame request(std::span<const std::byte> data, std::chrono::nanoseconds timeout,
                  boost::system::error_code& ec);
    template <contiguous_bytes_source R>
    frame request(const R& data, std::chrono::nanoseconds timeout)
    {
        return request(as_byte_span(data), timeout);
    }
    template <contiguous_bytes_source R>
    frame request(const R& data, std::chrono::nanoseconds timeout, boost::system::error_code& ec)
    {
        return request(as_byte_span(data), timeout, ec);
    }

    /// True while the server's request buffer has a live reader.
    bool is_server_connected() const;

    /// Detaches from the request buffer and removes the response buffer
    /// (responses still held stay readable). Idempotent.
    void close() noexcept;
    bool is_open() const noexcept;

    const std::string& name() const noexcept;
    std::uint64_t requests_sent() const noexcept;

private:
    template <contiguous_bytes_source R>
    static std::span<const std::byte> as_byte_span(const R& data)
    {
        return std::as_bytes(std::span(std::ranges::data(data), std::ranges::size(data)));
    }

    std::unique_ptr<detail::client_impl> impl_;
};

/// The server's text of an error response (`handler_failed`); empty for any
/// other frame.
std::string_view error_response_text(const frame& response) noexcept;

} // namespace zerobuffer::duplex

#endif // ZEROBUFFER_DUPLEX_CLIENT_HPP
