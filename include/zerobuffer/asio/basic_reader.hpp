// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

#ifndef ZEROBUFFER_ASIO_BASIC_READER_HPP
#define ZEROBUFFER_ASIO_BASIC_READER_HPP

/// @file
/// A reader bound to an executor, with asynchronous reads.

#include <zerobuffer/asio/detail/async_strategy.hpp>
#include <zerobuffer/asio/detail/operation_registry.hpp>
#include <zerobuffer/asio/wait_service.hpp>
#include <zerobuffer/buffer_config.hpp>
#include <zerobuffer/frame.hpp>
#include <zerobuffer/reader.hpp>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/execution_context.hpp>
#include <boost/system/error_code.hpp>

#include <memory>
#include <string_view>
#include <type_traits>

namespace zerobuffer::asio {

/// A `zerobuffer::reader` (it creates and owns the buffer) whose waits run
/// asynchronously on an executor.
///
/// Every asynchronous operation is started with `boost::asio::async_initiate`:
/// any completion token works (a callback, `use_future`, `use_awaitable`,
/// `deferred`, `as_tuple(...)`, `experimental::use_promise`); the default is
/// the executor's default completion token. A handler runs on its associated
/// executor (the reader's when it has none), never inside the initiating call.
///
/// Waiting: an operation looks once on the initiating thread (a frame there
/// completes through a post); under spin-then-block it spins in a handler
/// posted to the reader's executor, never in the initiating call; when it
/// must sleep, the execution context's
/// `wait_service` sleeps on the buffer's semaphore without blocking any thread
/// of the caller, and the wake-up continues on the reader's executor. The
/// reader's wait strategy is honoured; busy-poll spins for its spin budget and
/// then sleeps (an event loop's thread is not held for the whole wait).
///
/// Thread safety: the object may be used from several threads, as the
/// synchronous reader: several reads may be outstanding at once, each gets a
/// distinct frame. Destruction, `cancel()` and `close()` end every outstanding
/// operation with `operation_aborted`. Construction and destruction may not
/// race with other uses of the same object.
template <class Executor = boost::asio::any_io_executor>
class basic_reader {
public:
    using executor_type = Executor;

    template <class OtherExecutor>
    struct rebind_executor {
        using other = basic_reader<OtherExecutor>;
    };

    /// Creates the buffer `name` (as `zerobuffer::reader`, whose errors it
    /// throws) and binds it to `ex`.
    basic_reader(const executor_type& ex, std::string_view name, const buffer_config& config = {});
    template <class ExecutionContext>
    requires std::is_convertible_v<ExecutionContext&, boost::asio::execution_context&>
    basic_reader(ExecutionContext& context, std::string_view name, const buffer_config& config = {})
        : basic_reader(executor_type(context.get_executor()), name, config)
    {
    }

    /// Adopts an open reader; its waits run under `strategy` (the strategy the
    /// reader was created with is not visible through its API).
    basic_reader(const executor_type& ex, zerobuffer::reader&& r,
                 const wait_strategy& strategy = {});

    basic_reader(basic_reader&&) noexcept = default;
    basic_reader& operator=(basic_reader&&) noexcept;
    /// Closes the buffer (removing its resources); outstanding operations
    /// complete with `operation_aborted`.
    ~basic_reader();

    executor_type get_executor() const noexcept { return executor_; }

    /// The synchronous reader: metadata, counters, health, `release_frame`,
    /// and the blocking and non-blocking reads, which may be mixed with
    /// asynchronous ones. Precondition: not moved from.
    zerobuffer::reader& get() noexcept { return state_->reader; }
    const zerobuffer::reader& get() const noexcept { return state_->reader; }

    /// Reads the next frame.
    ///
    /// Completion signature: `void(boost::system::error_code, zerobuffer::frame)`.
    /// The frame is zero-copy (it points into the ring) and is released when
    /// it is destroyed. Error codes: those of `reader::read_frame`
    /// (`writer_disconnected`, `writer_dead`, `sequence_error` (the next read
    /// delivers the frame found), `corrupted_buffer`, `invalid_state` when
    /// closed) and `operation_aborted`. There is no timeout: the read waits
    /// until a frame, a writer event, cancellation or `close()` (race it with
    /// a timer, e.g. `parallel_group` with `wait_for_one`).
    ///
    /// Per-operation cancellation: terminal, partial and total. A cancelled
    /// read consumed nothing: the frame it would have read is the next read's.
    ///
    /// Waiting: a ready frame completes through a post. Otherwise, under
    /// spin-then-block (and busy-poll, which spins for its budget here), the
    /// spin runs in a handler on the reader's executor, never inside this
    /// call: it holds that executor's thread for up to the spin budget.
    template <class CompletionToken = boost::asio::default_completion_token_t<executor_type>>
    auto async_read_frame(CompletionToken&& token = {});

    /// Waits until a writer is attached (at once when one is), looking at
    /// the buffer every few milliseconds (the protocol announces an attach
    /// with no semaphore).
    ///
    /// Completion signature: `void(boost::system::error_code)`. Error codes:
    /// `invalid_state` (closed), `operation_aborted`.
    /// Per-operation cancellation: terminal, partial and total.
    template <class CompletionToken = boost::asio::default_completion_token_t<executor_type>>
    auto async_wait_writer(CompletionToken&& token = {});

    /// Ends every outstanding operation with `operation_aborted`; the reader
    /// stays open and loses no frame.
    void cancel() noexcept;

    /// Closes the reader (`reader::close`): outstanding operations end with
    /// `operation_aborted`, later ones fail with `invalid_state`.
    void close() noexcept;
    bool is_open() const noexcept { return state_ != nullptr && state_->reader.is_open(); }

    /// The backend of this reader's execution context.
    wait_backend backend() const noexcept { return state_->service->backend(); }

    struct state;

private:
    executor_type executor_;
    std::shared_ptr<state> state_;
};

/// A reader on the polymorphic I/O executor.
using reader = basic_reader<>;

} // namespace zerobuffer::asio

#include <zerobuffer/asio/impl/basic_reader.hpp>

#endif // ZEROBUFFER_ASIO_BASIC_READER_HPP
