// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

#ifndef ZEROBUFFER_DUPLEX_SERVER_HPP
#define ZEROBUFFER_DUPLEX_SERVER_HPP

/// @file
/// The server of a duplex channel: reads requests, runs a handler on each,
/// writes one response per request, in request order.

#include <zerobuffer/buffer_config.hpp>
#include <zerobuffer/duplex/channel.hpp>
#include <zerobuffer/duplex/pending_request.hpp>
#include <zerobuffer/duplex/processing.hpp>
#include <zerobuffer/duplex/request.hpp>
#include <zerobuffer/duplex/response_sink.hpp>
#include <zerobuffer/writer.hpp>

#include <chrono>
#include <concepts>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

namespace zerobuffer::duplex {

namespace detail {
class server_impl;
} // namespace detail

/// How a server creates its request buffer and writes responses.
struct server_options {
    /// The request buffer the server creates (`NAME_request`): sizes, mode,
    /// and the wait strategy for requests.
    buffer_config request = default_buffer_config();
    /// How the server writes responses: the wait strategy for free space in
    /// the response ring, and `write_timeout`, how often a response that
    /// waits for room looks whether the server stops (a live client is
    /// waited for as long as the server runs).
    writer_options response = default_response_options();
    /// How long the server retries attaching to a new client's response
    /// buffer (`NAME_response`) after its first request.
    std::chrono::nanoseconds attach_timeout = std::chrono::seconds(5);

    static writer_options default_response_options()
    {
        writer_options o;
        o.write_timeout = std::chrono::seconds(1);
        return o;
    }
};

/// A server's counts since it was constructed.
struct server_counters {
    std::uint64_t requests_handled = 0; ///< responses committed from a handler's result
    std::uint64_t handler_errors = 0;   ///< error responses sent for failed handlers
    std::uint64_t clients_served = 0;   ///< client sessions whose response buffer it attached
    std::uint64_t requests_dropped = 0; ///< requests of a client that left before its response
    /// Times the request buffer was found unusable (a client corrupted it)
    /// and made anew for the next client: it is counted once the new one
    /// exists, so a client that connects after the count rises is served.
    std::uint64_t request_buffers_renewed = 0;
};

/// A handler that writes its response into a `response_sink`.
template <class H>
concept in_place_handler = std::invocable<H&, const request&, response_sink&>;

/// A handler that returns its response as bytes (any contiguous range of
/// trivially copyable elements: `std::vector<std::byte>`, `std::string`, ...).
template <class H>
concept returning_handler = std::invocable<H&, const request&> &&
    contiguous_bytes_source<std::remove_cvref_t<std::invoke_result_t<H&, const request&>>>;

/// A handler that answers later: it takes the `pending_request` and answers
/// it (`respond`, `fail`) when it is ready, from any thread.
template <class H>
concept deferred_handler = std::invocable<H&, pending_request&&>;

/// The server of the channel `name`.
///
/// `start` creates the request buffer `NAME_request` and serves clients
/// until `stop`: for each client (a writer of `NAME_request`), it attaches
/// to the client's `NAME_response` at its first request, runs the handler on
/// every request and writes one response per request, the n-th response
/// answering the n-th request. When the client closes or dies the server
/// drops it and waits for the next one, as long as it runs.
///
/// Failures:
/// - a handler that throws (or gives no response, an empty one, or one that
///   can never fit the response ring) gets an error response in its place
///   (`error_response.hpp`): our client reports `handler_failed` for that
///   request, a reference client sees an ordinary response and stays in step;
///   the server goes on;
/// - a full response ring (a slow client): the response waits for room, for
///   as long as the client lives; nothing is lost or reordered;
/// - the client dies: its responses are dropped, its session ends, the
///   server waits for the next client.
///
/// Thread safety: `start`, `stop` and the destructor from one thread (never
/// from a handler); the observers from any thread.
class server {
public:
    explicit server(std::string_view name, const server_options& options = {});
    server(server&&) noexcept;
    server& operator=(server&&) noexcept;
    /// Stops (see `stop`).
    ~server();

    /// Creates the request buffer and starts serving with `handler` under
    /// `strategy`. The handler is called as `handler(const request&)`,
    /// returning the response bytes, as `handler(const request&,
    /// response_sink&)`, writing it in place, or as
    /// `handler(pending_request)`, answering later from any thread (after
    /// awaiting other I/O: the asynchronous form; under `single_thread` it is
    /// called on the receiving thread and up to 16 requests may be pending).
    /// Under a pool or an executor it is called concurrently (it must be
    /// safe for that).
    ///
    /// Throws `invalid_state` when running; the errors of creating a
    /// `reader` (`reader_already_exists`, `invalid_name`, `invalid_config`,
    /// system errors).
    template <class Handler>
    requires in_place_handler<Handler> || returning_handler<Handler> || deferred_handler<Handler>
    void start(Handler handler, const processing& strategy = processing::single_thread())
    {
        if constexpr (in_place_handler<Handler> || returning_handler<Handler>) {
            start_erased(erase(std::move(handler)), {}, strategy);
        } else {
            auto shared = std::make_shared<Handler>(std::move(handler));
            start_erased(
                {}, [shared](pending_request p) { (*shared)(std::move(p)); }, strategy);
        }
    }

    /// Stops reading requests, lets the requests already taken finish and
    /// their responses be written (a response that still finds no room after
    /// `server_options::response.write_timeout` is dropped), then closes the
    /// response writer and removes the request buffer. Idempotent.
    void stop() noexcept;

    bool is_running() const noexcept;
    /// True while a client's response buffer is attached and its reader lives.
    bool is_client_connected() const;
    server_counters counters() const noexcept;
    const std::string& name() const noexcept;

private:
    using erased_handler = std::function<void(const request&, response_sink&)>;
    using erased_deferred_handler = std::function<void(pending_request)>;

    template <class Handler>
    static erased_handler erase(Handler handler)
    {
        // std::function copies: share a move-only handler.
        auto shared = std::make_shared<Handler>(std::move(handler));
        if constexpr (in_place_handler<Handler>) {
            return [shared](const request& req, response_sink& sink) { (*shared)(req, sink); };
        } else {
            return [shared](const request& req, response_sink& sink) {
                const auto& result = (*shared)(req);
                sink.write(result);
            };
        }
    }

    /// Exactly one of `handler` and `deferred` is set.
    void start_erased(erased_handler handler, erased_deferred_handler deferred,
                      const processing& strategy);

    std::unique_ptr<detail::server_impl> impl_;
};

} // namespace zerobuffer::duplex

#endif // ZEROBUFFER_DUPLEX_SERVER_HPP
