// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

#ifndef ZEROBUFFER_WRITER_HPP
#define ZEROBUFFER_WRITER_HPP

/// @file
/// The writer: attaches to a reader's buffer and writes frames into it.

#include <zerobuffer/copy_policy.hpp>
#include <zerobuffer/error.hpp>
#include <zerobuffer/wait_strategy.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <ranges>
#include <span>
#include <stop_token>
#include <string>
#include <string_view>
#include <type_traits>

namespace zerobuffer {

namespace detail {
class writer_impl;
} // namespace detail

class space_wait;

/// How a writer attaches and waits.
struct writer_options {
    /// How long a write waits for free space before `buffer_full`.
    std::chrono::nanoseconds write_timeout = std::chrono::seconds(5);
    /// How long the constructor waits for a reader to create the buffer
    /// (0: fail at once with `no_reader`).
    std::chrono::nanoseconds connect_timeout = std::chrono::nanoseconds(0);
    wait_strategy wait = {};
    /// How `write_frame` copies frames into the ring (zero-copy writes make
    /// no copy of ours).
    copy_policy copy = copy_policy::automatic;
};

/// Any contiguous range of trivially copyable elements, written as its bytes.
template <class R>
concept contiguous_bytes_source = std::ranges::contiguous_range<R> && std::ranges::sized_range<R> &&
    std::is_trivially_copyable_v<std::ranges::range_value_t<R>>;

/// Attaches to the buffer `name` that a live reader created, and writes frames.
///
/// Errors on construction: `invalid_name`; `no_reader` (no buffer, or its
/// reader is gone); `writer_already_connected` (another live writer);
/// `incompatible_version`, `corrupted_buffer` (the OIEB is not one we speak);
/// system errors such as permission denied.
///
/// Thread safety: one writer per buffer, usable from several threads; each
/// frame is placed and committed whole, in the order the threads reserve
/// their frames. Writes waiting for space wait side by side, without a lock:
/// whichever finds room first writes first, and a try may pass a waiting
/// write. A zero-copy frame (`get_frame_buffer` ... `commit_frame`) must be
/// committed by the thread that got it before others write (a write that
/// finds it pending fails with `invalid_state`). `close()` may be called from
/// any thread: writes waiting for space then end with `operation_aborted`.
class writer {
public:
    explicit writer(std::string_view name, const writer_options& options = {});
    writer(writer&&) noexcept;
    writer& operator=(writer&&) noexcept;
    ~writer();

    const std::string& name() const noexcept;

    /// Stores the buffer's metadata. Once per buffer.
    /// Throws `metadata_already_written`, `metadata_too_large` (the buffer
    /// stays usable), `invalid_state` when closed.
    void set_metadata(std::span<const std::byte> content);
    void set_metadata(std::span<const std::byte> content, boost::system::error_code& ec);
    template <contiguous_bytes_source R>
    void set_metadata(const R& content)
    {
        set_metadata(
            std::as_bytes(std::span(std::ranges::data(content), std::ranges::size(content))));
    }

    /// Copies `data` into the ring as one frame, waiting for space up to the
    /// write timeout. Throws `invalid_frame_size` (empty), `frame_too_large`
    /// (can never fit; at once), `buffer_full` (timeout), `reader_dead`,
    /// `corrupted_buffer`, `invalid_state`; `operation_aborted` when `close()`
    /// on another thread ends the wait (nothing of the frame is committed).
    void write_frame(std::span<const std::byte> data);
    void write_frame(std::span<const std::byte> data, boost::system::error_code& ec);
    template <contiguous_bytes_source R>
    void write_frame(const R& data)
    {
        write_frame(as_byte_span(data));
    }

    /// As above, and a stop request on `stop` (from any thread) ends the wait
    /// for space with `operation_aborted`: nothing of the frame is committed
    /// and the writer stays open. A frame that fits at once is written
    /// whatever `stop` says.
    void write_frame(std::span<const std::byte> data, const std::stop_token& stop);
    void write_frame(std::span<const std::byte> data, const std::stop_token& stop,
                     boost::system::error_code& ec);
    template <contiguous_bytes_source R>
    void write_frame(const R& data, const std::stop_token& stop)
    {
        write_frame(as_byte_span(data), stop);
    }

    /// Copies `data` into the ring as one frame if there is room now; never
    /// waits. Returns true when the frame was written, false when there is no
    /// room: would-block is not an error. Errors as
    /// `write_frame`, except `buffer_full`; `reader_dead` when the ring is
    /// full and the reader is gone (looked at once per liveness interval).
    bool try_write_frame(std::span<const std::byte> data);
    bool try_write_frame(std::span<const std::byte> data, boost::system::error_code& ec);
    template <contiguous_bytes_source R>
    bool try_write_frame(const R& data)
    {
        return try_write_frame(as_byte_span(data));
    }

    /// Zero-copy write: reserves a frame of `size` bytes in the ring (waiting
    /// as `write_frame` does) and returns its data area inside shared memory.
    /// Fill it, then call `commit_frame()`. Errors as `write_frame`, and
    /// `invalid_state` when a frame is already reserved.
    std::span<std::byte> get_frame_buffer(std::size_t size);
    std::span<std::byte> get_frame_buffer(std::size_t size, boost::system::error_code& ec);
    /// As above; a stop request on `stop` ends the wait as for `write_frame`.
    std::span<std::byte> get_frame_buffer(std::size_t size, const std::stop_token& stop);
    std::span<std::byte> get_frame_buffer(std::size_t size, const std::stop_token& stop,
                                          boost::system::error_code& ec);

    /// Zero-copy write if there is room now; never waits. Returns the frame's
    /// data area (commit it with `commit_frame()`), or an empty span when
    /// there is no room (would block, not an error), as `try_write_frame`
    /// decides. Errors as `get_frame_buffer`, except `buffer_full`;
    /// `reader_dead` as for `try_write_frame`.
    std::span<std::byte> try_get_frame_buffer(std::size_t size);
    std::span<std::byte> try_get_frame_buffer(std::size_t size, boost::system::error_code& ec);

    /// Publishes the frame reserved by `get_frame_buffer`.
    /// Throws `invalid_state` when none is reserved.
    void commit_frame();
    void commit_frame(boost::system::error_code& ec);

    /// Drops the frame reserved by `get_frame_buffer` without publishing it:
    /// the shared counters stay as they were and the next frame takes its
    /// place and its sequence number. Does nothing when none is reserved.
    /// For a producer that fails while filling a reservation (e.g. a duplex
    /// handler that throws). Thread safety: as `commit_frame`.
    void abandon_frame() noexcept;

    void set_write_timeout(std::chrono::nanoseconds timeout) noexcept;
    std::chrono::nanoseconds write_timeout() const noexcept;

    /// True while the buffer's reader process exists.
    bool is_reader_connected() const;

    /// Detaches (writer_pid = 0), after which the reader sees a disconnect
    /// once it has read every committed frame. Idempotent. May be called from
    /// any thread: a write waiting for space ends with `operation_aborted`,
    /// a frame reserved and not committed is abandoned (its span must not be
    /// written once `close()` is called: the ring then belongs to the next
    /// writer), later calls fail with `invalid_state`.
    void close() noexcept;
    bool is_open() const noexcept;

    std::uint64_t frames_written() const noexcept;
    std::uint64_t bytes_written() const noexcept;

    /// The largest frame that can always be written (16 + n <= payload / 2).
    std::uint64_t max_frame_size() const noexcept;

private:
    friend class space_wait;

    detail::writer_impl& checked_impl() const;

    template <contiguous_bytes_source R>
    static std::span<const std::byte> as_byte_span(const R& data)
    {
        return std::as_bytes(std::span(std::ranges::data(data), std::ranges::size(data)));
    }

    std::unique_ptr<detail::writer_impl> impl_;
};

} // namespace zerobuffer

#endif // ZEROBUFFER_WRITER_HPP
