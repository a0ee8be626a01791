// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

#ifndef ZEROBUFFER_ASIO_BASIC_CLIENT_HPP
#define ZEROBUFFER_ASIO_BASIC_CLIENT_HPP

/// @file
/// A duplex client bound to an executor, with asynchronous requests.

#include <zerobuffer/asio/basic_reader.hpp>
#include <zerobuffer/asio/basic_writer.hpp>
#include <zerobuffer/duplex/client.hpp>
#include <zerobuffer/frame.hpp>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/execution_context.hpp>
#include <boost/system/error_code.hpp>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string_view>
#include <type_traits>

namespace zerobuffer::asio {

/// The client of a duplex channel (as `duplex::client`: it creates the
/// response buffer `NAME_response` and writes to the server's `NAME_request`)
/// whose requests are asynchronous operations on an executor.
///
/// `async_request(bytes, token)` sends a request and completes with *its*
/// response. Any number may be outstanding at once, from any threads: they
/// are written in the order they were started (one at a time, waiting for
/// room in the request ring without blocking a thread), answered by the
/// server in that order, and each completes with the response that carries
/// its sequence number. One read of responses is outstanding while requests
/// wait; it sleeps as `asio::reader` does (no thread per request).
///
/// Errors (as codes; the same list as the synchronous client):
/// `server_dead` (the server process is gone: found within about the
/// response buffer's liveness interval, also before the server answered
/// anything), `server_stopped`, `handler_failed` (the server's handler failed;
/// the error response frame is delivered with it, see
/// `duplex::error_response_text`), `sequence_error` (a response went missing:
/// the channel is out of step), `invalid_state` (closed), `operation_aborted`,
/// and the writer's errors for a request that can never fit the ring. Once
/// the channel failed (`server_dead`, `server_stopped`, `sequence_error`)
/// every later request completes with the same error: make a new client.
///
/// Thread safety: `async_request`, `cancel()`, `close()` and the observers
/// from any thread. Construction, move and destruction not concurrently with
/// other uses. A response frame is zero-copy: it points into the response ring
/// and must be destroyed before the client (its space returns to the ring when
/// it is).
template <class Executor = boost::asio::any_io_executor>
class basic_client {
public:
    using executor_type = Executor;

    template <class OtherExecutor>
    struct rebind_executor {
        using other = basic_client<OtherExecutor>;
    };

    /// Connects to the channel `name` as `duplex::client` does (creates the
    /// response buffer, attaches to the request buffer waiting up to
    /// `options.request.connect_timeout` on the calling thread) and throws
    /// its errors (`no_reader`: no server; `reader_already_exists`: another
    /// client of this channel is alive; `writer_already_connected`). See
    /// `async_connect_client` for a connection that does not block.
    basic_client(const executor_type& ex, std::string_view name,
                 const duplex::client_options& options = {});
    template <class ExecutionContext>
    requires std::is_convertible_v<ExecutionContext&, boost::asio::execution_context&>
    basic_client(ExecutionContext& context, std::string_view name,
                 const duplex::client_options& options = {})
        : basic_client(executor_type(context.get_executor()), name, options)
    {
    }
    /// A client that is not connected (`is_open()` false): what
    /// `async_connect_client` delivers with an error.
    explicit basic_client(const executor_type& ex) noexcept : executor_(ex) {}
    /// Adopts the two endpoints of a channel: `responses` on `NAME_response`,
    /// `requests` attached to `NAME_request`.
    basic_client(basic_reader<Executor>&& responses, basic_writer<Executor>&& requests,
                 std::chrono::nanoseconds liveness_interval);

    basic_client(basic_client&&) noexcept = default;
    basic_client& operator=(basic_client&&) noexcept;
    /// Closes the client (`close()`).
    ~basic_client();

    executor_type get_executor() const noexcept { return executor_; }

    /// Sends `data` as a request and waits for its response.
    ///
    /// `data` must stay valid until the operation completes (as Asio's
    /// buffers); it is copied into the request ring when its turn comes,
    /// waiting for room as long as it takes (the request writer's
    /// `write_timeout` does not apply).
    ///
    /// Completion signature:
    /// `void(boost::system::error_code, zerobuffer::frame)`: the response
    /// (zero-copy, `sequence()` the request's), also with `handler_failed`
    /// (an error response). There is no timeout: race it with a timer.
    ///
    /// Per-operation cancellation: a request not yet written is removed
    /// (nothing is sent: terminal, partial and total); one being written
    /// commits nothing (all three); one already sent completes at once
    /// (terminal only: the server still answers it, and its response is
    /// released when it arrives; the channel stays in step).
    template <class CompletionToken = boost::asio::default_completion_token_t<executor_type>>
    auto async_request(std::span<const std::byte> data, CompletionToken&& token = {});

    /// Ends every outstanding request with `operation_aborted` (as a
    /// terminal cancellation of each); the client stays open and in step.
    void cancel() noexcept;

    /// Ends every outstanding request with `operation_aborted`, detaches from
    /// the request buffer and removes the response buffer; later requests
    /// complete with `invalid_state`.
    void close() noexcept;
    bool is_open() const noexcept;

    /// Whether the server's request buffer has its reader (the server) now.
    bool is_server_connected() const;

    /// Requests written so far (the sequence number of the last one).
    std::uint64_t requests_sent() const noexcept;

    struct state;

private:
    executor_type executor_;
    std::shared_ptr<state> state_;
};

/// A client on the polymorphic I/O executor.
using client = basic_client<>;

/// Connects a client to the channel `name` without blocking: creates the
/// response buffer at once, then waits for the server's request buffer (up
/// to `options.request.connect_timeout`; 0 waits as long as it takes),
/// looking every few milliseconds.
///
/// Completion signature: `void(boost::system::error_code, basic_client<Executor>)`;
/// on error the client is not open. Error codes: `no_reader` (the timeout
/// passed), `reader_already_exists` (another client of this channel is
/// alive), `writer_already_connected`, `operation_aborted`.
/// Per-operation cancellation: terminal, partial and total.
template <class Executor, class CompletionToken = boost::asio::default_completion_token_t<Executor>>
auto async_connect_client(const Executor& ex, std::string_view name,
                          const duplex::client_options& options = {}, CompletionToken&& token = {});

} // namespace zerobuffer::asio

#include <zerobuffer/asio/impl/basic_client.hpp>

#endif // ZEROBUFFER_ASIO_BASIC_CLIENT_HPP
