// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

#ifndef ZEROBUFFER_ASIO_BASIC_SERVER_HPP
#define ZEROBUFFER_ASIO_BASIC_SERVER_HPP

/// @file
/// A duplex server whose handlers are asynchronous operations on an
/// executor: coroutines, or completion handlers that answer later.

#include <zerobuffer/duplex/pending_request.hpp>
#include <zerobuffer/duplex/processing.hpp>
#include <zerobuffer/duplex/server.hpp>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/execution_context.hpp>
#include <boost/asio/post.hpp>

#include <cstddef>
#include <exception>
#include <memory>
#include <string_view>
#include <type_traits>
#include <utility>

namespace zerobuffer::asio {

namespace detail {

template <class T, class Executor>
struct awaitable_bytes : std::false_type {
};
template <class T, class Executor>
struct awaitable_bytes<boost::asio::awaitable<T, Executor>, Executor>
    : std::bool_constant<contiguous_bytes_source<T>> {
};

} // namespace detail

/// A handler that is a coroutine on `Executor`: `handler(const
/// duplex::request&)` returns `boost::asio::awaitable<R, Executor>`, `R` the
/// response bytes (any contiguous range of trivially copyable elements).
template <class H, class Executor>
concept coroutine_handler = std::invocable<H&, const duplex::request&> &&
    detail::awaitable_bytes<std::invoke_result_t<H&, const duplex::request&>, Executor>::value;

/// The server of a duplex channel (a `duplex::server`, reachable through
/// `get()` for its counters and state) whose handlers run asynchronously on
/// an executor, answered in request order whatever order they finish in.
///
/// Two handler forms:
/// - a coroutine, `handler(const duplex::request&) -> awaitable<R, Executor>`:
///   spawned on the executor for each request; it may await anything (timers,
///   sockets, a zerobuffer client of another channel); what it `co_return`s is
///   the response. One that throws is answered with an error response
///   carrying the exception's `what()` (the client sees `handler_failed`);
/// - a completion handler, `handler(duplex::pending_request)`: called on the
///   executor (through `post`) with the request, which it answers later with
///   `respond` or `fail` from any thread (destroyed unanswered: an error
///   response).
///
/// At most `max_pending` requests are being handled at once (taken from the
/// request ring and not yet answered); more wait in the ring, which pushes
/// back on the client. A response is written when its turn comes, waiting
/// for room in the client's response ring on the thread that answers: a
/// handler on an `io_context` whose own thread also reads that client's
/// responses should keep the responses smaller than the ring.
///
/// Thread safety: `start`, `stop` and the destructor from one thread (not a
/// handler's); `get()`'s observers from any thread.
template <class Executor = boost::asio::any_io_executor>
class basic_server {
public:
    using executor_type = Executor;

    /// The server of the channel `name` (nothing is created before `start`).
    basic_server(const executor_type& ex, std::string_view name,
                 const duplex::server_options& options = {})
        : executor_(ex), server_(name, options)
    {
    }
    template <class ExecutionContext>
    requires std::is_convertible_v<ExecutionContext&, boost::asio::execution_context&>
    basic_server(ExecutionContext& context, std::string_view name,
                 const duplex::server_options& options = {})
        : basic_server(executor_type(context.get_executor()), name, options)
    {
    }

    executor_type get_executor() const noexcept { return executor_; }
    duplex::server& get() noexcept { return server_; }
    const duplex::server& get() const noexcept { return server_; }

    /// Creates the request buffer and serves with a coroutine handler.
    /// Errors: those of `duplex::server::start`.
    template <class Handler>
    requires coroutine_handler<Handler, Executor>
    void start(Handler handler, std::size_t max_pending = 16)
    {
        auto shared = std::make_shared<Handler>(std::move(handler));
        server_.start(
            [ex = executor_, shared](duplex::pending_request p) {
                boost::asio::co_spawn(ex, answer(shared, std::move(p)), boost::asio::detached);
            },
            duplex::processing::single_thread_deferred(max_pending));
    }

    /// Creates the request buffer and serves with a completion handler.
    /// Errors: those of `duplex::server::start`.
    template <class Handler>
    requires duplex::deferred_handler<Handler> &&
        (!coroutine_handler<Handler, Executor>)void start(Handler handler,
                                                          std::size_t max_pending = 16)
    {
        auto shared = std::make_shared<Handler>(std::move(handler));
        server_.start(
            [ex = executor_, shared](duplex::pending_request p) {
                boost::asio::post(
                    ex, [shared, p = std::move(p)]() mutable { (*shared)(std::move(p)); });
            },
            duplex::processing::single_thread_deferred(max_pending));
    }

    /// Stops as `duplex::server::stop`: waits until every request taken was
    /// answered (or its handler destroyed), so the executor must keep running
    /// meanwhile: call it (and the destructor) from another thread than the
    /// executor's, while the executor runs or after its context was
    /// destroyed, never while a stopped context holds handlers queued.
    void stop() noexcept { server_.stop(); }

private:
    template <class Handler>
    static boost::asio::awaitable<void, Executor> answer(std::shared_ptr<Handler> handler,
                                                         duplex::pending_request p)
    {
        try {
            const auto response = co_await (*handler)(p.get());
            p.respond(response);
        } catch (const std::exception& e) {
            if (p.pending())
                p.fail(e.what());
        }
        // Anything else thrown: `p` is destroyed unanswered, an error response.
    }

    executor_type executor_;
    duplex::server server_;
};

/// A server on the polymorphic I/O executor.
using server = basic_server<>;

} // namespace zerobuffer::asio

#endif // ZEROBUFFER_ASIO_BASIC_SERVER_HPP
