// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

#ifndef ZEROBUFFER_ASIO_BASIC_WRITER_HPP
#define ZEROBUFFER_ASIO_BASIC_WRITER_HPP

/// @file
/// A writer bound to an executor, with asynchronous writes.

#include <zerobuffer/asio/detail/async_strategy.hpp>
#include <zerobuffer/asio/detail/operation_registry.hpp>
#include <zerobuffer/asio/wait_service.hpp>
#include <zerobuffer/writer.hpp>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/execution_context.hpp>
#include <boost/system/error_code.hpp>

#include <atomic>
#include <cstddef>
#include <memory>
#include <span>
#include <string_view>
#include <type_traits>

namespace zerobuffer::asio {

/// A `zerobuffer::writer` whose waits for room run asynchronously on an
/// executor. Completion tokens, handler executors and waiting as for
/// `basic_reader`; the writer's write timeout bounds each wait for room
/// (`buffer_full` when it passes; `set_write_timeout(nanoseconds::max())` on
/// `get()` waits as long as the reader lives).
///
/// Thread safety: as an Asio stream, one write operation (`async_write_frame`,
/// or `async_get_frame_buffer` up to its `commit_frame()`) is outstanding at a
/// time: the ring reserves frames one after the other. A second one started
/// meanwhile completes with `invalid_state`. Other members may be called from
/// any thread. Destruction, `cancel()` and `close()` end an operation that
/// waits for room with `operation_aborted`, committing nothing; one that
/// found room in its initiating call has committed there (or reserved its
/// frame), and completes with success.
///
/// Waiting: the initiating call tries the ring once (room there costs no
/// wait, only the post of the completion); under spin-then-block the wait
/// spins in a handler posted to the writer's executor, never in the
/// initiating call.
template <class Executor = boost::asio::any_io_executor>
class basic_writer {
public:
    using executor_type = Executor;

    template <class OtherExecutor>
    struct rebind_executor {
        using other = basic_writer<OtherExecutor>;
    };

    /// Attaches to the buffer `name` (as `zerobuffer::writer`, whose errors
    /// it throws; the connect timeout blocks the caller: use
    /// `async_connect_writer` to wait for a reader without blocking).
    basic_writer(const executor_type& ex, std::string_view name,
                 const writer_options& options = {});
    template <class ExecutionContext>
    requires std::is_convertible_v<ExecutionContext&, boost::asio::execution_context&>
    basic_writer(ExecutionContext& context, std::string_view name,
                 const writer_options& options = {})
        : basic_writer(executor_type(context.get_executor()), name, options)
    {
    }
    /// A writer bound to `ex` and attached to nothing (`is_open()` false;
    /// move an attached one into it). What `async_connect_writer` hands out
    /// with an error.
    explicit basic_writer(const executor_type& ex) noexcept : executor_(ex) {}
    /// Adopts an open writer; its waits run under `strategy`.
    basic_writer(const executor_type& ex, zerobuffer::writer&& w,
                 const wait_strategy& strategy = {});

    basic_writer(basic_writer&&) noexcept = default;
    basic_writer& operator=(basic_writer&&) noexcept;
    /// Detaches (`writer::close`); the outstanding operation completes with
    /// `operation_aborted`.
    ~basic_writer();

    executor_type get_executor() const noexcept { return executor_; }

    /// The synchronous writer (metadata, counters, timeouts, the blocking and
    /// non-blocking writes). Precondition: not moved from.
    zerobuffer::writer& get() noexcept { return state_->writer; }
    const zerobuffer::writer& get() const noexcept { return state_->writer; }

    /// Copies `data` into the ring as one frame, waiting for room.
    ///
    /// Completion signature: `void(boost::system::error_code)`, once the frame
    /// is committed. Error codes: those of `writer::write_frame`
    /// (`invalid_frame_size`, `frame_too_large`, `buffer_full` after the write
    /// timeout, `reader_dead`, `corrupted_buffer`, `invalid_state`) and
    /// `operation_aborted`. `data` must stay valid until the completion.
    ///
    /// Per-operation cancellation: terminal, partial and total; a cancelled
    /// write committed nothing.
    template <class CompletionToken = boost::asio::default_completion_token_t<executor_type>>
    auto async_write_frame(std::span<const std::byte> data, CompletionToken&& token = {});

    /// Zero-copy: reserves a frame of `size` bytes, waiting for room.
    ///
    /// Completion signature: `void(boost::system::error_code, std::span<std::byte>)`:
    /// the frame's data area inside shared memory; fill it, then call
    /// `commit_frame()` (or `abandon_frame()`). Until then no other write
    /// operation may start. Error codes as `async_write_frame`.
    /// Per-operation cancellation: terminal, partial and total; a cancelled
    /// reservation reserved nothing.
    template <class CompletionToken = boost::asio::default_completion_token_t<executor_type>>
    auto async_get_frame_buffer(std::size_t size, CompletionToken&& token = {});

    /// Publishes the frame reserved by `async_get_frame_buffer`.
    /// Throws `invalid_state` when none is reserved.
    void commit_frame();
    void commit_frame(boost::system::error_code& ec);
    /// Drops the reserved frame (see `writer::abandon_frame`).
    void abandon_frame() noexcept;

    /// Ends the outstanding operation with `operation_aborted`; the writer
    /// stays attached.
    void cancel() noexcept;
    /// Detaches (`writer::close`).
    void close() noexcept;
    bool is_open() const noexcept { return state_ != nullptr && state_->writer.is_open(); }

    wait_backend backend() const noexcept { return state_->service->backend(); }

    struct state;

private:
    executor_type executor_;
    std::shared_ptr<state> state_;
};

using writer = basic_writer<>;

/// Waits for a reader to create the buffer `name`, then attaches a writer to
/// it, without blocking: looks every few milliseconds (a buffer's creation is
/// announced by no semaphore), for up to `options.connect_timeout`, or until
/// cancelled when it is 0.
///
/// Completion signature: `void(boost::system::error_code, basic_writer<Executor>)`.
/// Error codes: `no_reader` (the connect timeout passed), the other errors of
/// the `zerobuffer::writer` constructor at once (`invalid_name`,
/// `writer_already_connected`, `incompatible_version`, ...),
/// `operation_aborted`. Per-operation cancellation: terminal, partial, total.
template <class Executor, class CompletionToken = boost::asio::default_completion_token_t<Executor>>
auto async_connect_writer(const Executor& ex, std::string_view name,
                          const writer_options& options = {}, CompletionToken&& token = {});

} // namespace zerobuffer::asio

#include <zerobuffer/asio/impl/basic_writer.hpp>

#endif // ZEROBUFFER_ASIO_BASIC_WRITER_HPP
