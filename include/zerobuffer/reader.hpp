// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

#ifndef ZEROBUFFER_READER_HPP
#define ZEROBUFFER_READER_HPP

/// @file
/// The reader: creates and owns a named buffer and reads frames from it.

#include <zerobuffer/buffer_config.hpp>
#include <zerobuffer/error.hpp>
#include <zerobuffer/frame.hpp>
#include <zerobuffer/health.hpp>

#include <chrono>
#include <cstdint>
#include <memory>
#include <span>
#include <stop_token>
#include <string>
#include <string_view>

namespace zerobuffer {

class frame_wait;

/// Creates the buffer `name` (segment, two semaphores, lock file; PROTOCOL.md
/// section 1) and reads the frames one writer writes into it.
///
/// Construction first removes stale resources of dead readers (PROTOCOL.md
/// section 7). Destruction (or `close()`) removes every resource of the buffer.
///
/// Errors on construction: `invalid_name`, `invalid_config` (before anything is
/// created), `reader_already_exists` (a live reader owns the name), system
/// errors (e.g. ENOSPC when /dev/shm cannot hold the segment). A failed
/// construction leaves no resource behind.
///
/// Thread safety: one reader per buffer, usable from several threads:
/// concurrent `read_frame` calls get distinct frames; frames are released from
/// any thread. `close()` may be called from any thread: reads waiting then end
/// with `operation_aborted` (see `close`).
class reader {
public:
    reader(std::string_view name, const buffer_config& config = {});
    reader(reader&&) noexcept;
    reader& operator=(reader&&) noexcept;
    ~reader();

    const std::string& name() const noexcept;

    /// The metadata the writer stored, without its size prefix; empty when none
    /// was written yet. Valid while the reader is open.
    /// Throws `corrupted_buffer` when the block's bookkeeping is out of range.
    std::span<const std::byte> metadata() const;
    std::span<const std::byte> metadata(boost::system::error_code& ec) const;

    /// Waits up to `timeout` for the next frame. Returns an invalid frame when
    /// the timeout passes with no frame and no writer event.
    /// Throws `writer_disconnected` once a writer closed and every frame it
    /// committed has been delivered; `writer_dead` once a writer process died
    /// and its committed frames were delivered; `sequence_error` on a gap (the
    /// next call delivers the frame found); `corrupted_buffer`.
    /// A disconnect is reported for a writer the reader has seen: one that
    /// delivered a frame, or was attached while a read waited or while
    /// `is_writer_connected()` looked. After a disconnect or death the reader
    /// waits for the next writer, whose sequence numbers start again at 1.
    ///
    /// A wait ended from another thread by `close()` throws
    /// `operation_aborted` (its code equals `boost::asio::error::operation_aborted`);
    /// no frame is lost by it. A spinning wait ends at its next peer check
    /// (a few microseconds), a sleeping one when the token posted to wake it
    /// is taken: at once, unless another read of this reader takes it first
    /// (then `close()` posts again, for up to about 100 ms, and the sleep
    /// ends at its liveness interval at the latest).
    frame read_frame(std::chrono::nanoseconds timeout = std::chrono::seconds(5));
    /// As above, reporting failures in `ec` (a timeout is not a failure).
    frame read_frame(std::chrono::nanoseconds timeout, boost::system::error_code& ec);

    /// As above, and a stop request on `stop` (from any thread) ends the wait
    /// as `close()` does, with `operation_aborted`, leaving the reader open
    /// and every frame in place for the next read. A frame already committed
    /// when the read starts is delivered whatever `stop` says.
    frame read_frame(std::chrono::nanoseconds timeout, const std::stop_token& stop);
    frame read_frame(std::chrono::nanoseconds timeout, const std::stop_token& stop,
                     boost::system::error_code& ec);

    /// Returns the next frame if one is ready now, else an invalid frame;
    /// never waits. Writer events and errors as `read_frame`.
    frame try_read_frame();
    frame try_read_frame(boost::system::error_code& ec);

    /// Releases `f` (as its destructor would). Precondition: `f` came from this reader.
    void release_frame(frame& f) noexcept;

    /// True while a writer is attached and its process exists.
    bool is_writer_connected() const;

    /// Removes the buffer's resources. Frames still held keep the mapping
    /// alive until they are released. Idempotent. May be called from any
    /// thread while others read: their waits end with `operation_aborted`,
    /// later reads fail with `invalid_state`.
    void close() noexcept;
    bool is_open() const noexcept;

    /// Writer sessions seen: each writer connection (including a replacement
    /// after a writer died or left) starts a session whose first frame has
    /// sequence 1. An application that must know when a new writer arrived
    /// compares this count before and after a read, or looks for sequence 1.
    std::uint64_t writer_sessions() const noexcept;

    /// Frames and data bytes delivered by this reader.
    std::uint64_t frames_read() const noexcept;
    std::uint64_t bytes_read() const noexcept;

    /// The sizes after rounding.
    std::uint64_t metadata_size() const noexcept;
    std::uint64_t payload_size() const noexcept;

    /// A snapshot of the OIEB with utilization and health state.
    buffer_health health() const;

private:
    friend class frame_wait;

    std::shared_ptr<detail::reader_impl> impl_;
};

} // namespace zerobuffer

#endif // ZEROBUFFER_READER_HPP
