// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

#ifndef ZEROBUFFER_LIBS_CORE_READER_IMPL_HPP
#define ZEROBUFFER_LIBS_CORE_READER_IMPL_HPP

#include <zerobuffer/buffer_config.hpp>
#include <zerobuffer/detail/file_watch.hpp>
#include <zerobuffer/detail/interrupt.hpp>
#include <zerobuffer/detail/lock_file.hpp>
#include <zerobuffer/detail/semaphore.hpp>
#include <zerobuffer/detail/shm_segment.hpp>
#include <zerobuffer/detail/token_wait.hpp>
#include <zerobuffer/frame.hpp>
#include <zerobuffer/health.hpp>
#include <zerobuffer/protocol/ring_engine.hpp>
#include <zerobuffer/resources.hpp>

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <span>
#include <stop_token>
#include <string>

namespace zerobuffer::detail {

/// What a read's look before its wait saw: the values the wait watches (the
/// free bytes and the written count, loaded before the look) and where the
/// next header will be.
struct frame_wait_start {
    std::uint64_t free_bytes = 0;
    std::uint64_t written = 0;
    std::span<const std::byte> next_header;
};

/// The state behind a `reader`. It outlives the last frame it handed out:
/// the reader gives up its ownership through `detach`, and the frames are
/// counted under the lock they take anyway (an atomic reference count per
/// frame would cost two locked instructions on every read).
class reader_impl {
public:
    /// Creates the buffer; throws as `reader::reader` documents.
    reader_impl(std::string_view name, const buffer_config& config);
    ~reader_impl();
    reader_impl(const reader_impl&) = delete;
    reader_impl& operator=(const reader_impl&) = delete;

    const std::string& name() const noexcept { return name_; }
    std::span<const std::byte> metadata(boost::system::error_code& ec) const;
    /// Waits for a frame as `reader::read_frame` documents; `stop` (and
    /// `close()` from another thread) end the wait with `operation_aborted`.
    frame read_frame(std::chrono::nanoseconds timeout, const wait_strategy& strategy,
                     const std::stop_token& stop, boost::system::error_code& ec);
    /// Releases a frame; destroys `*this` if it was the last frame of a
    /// detached reader (so the caller touches nothing of it afterwards).
    void release(std::uint64_t ticket) noexcept;
    /// The owning `reader` lets go of `self` (which owns `*this`): destroyed
    /// now, or by the release of the last frame still out.
    static void detach(std::shared_ptr<reader_impl> self) noexcept;
    bool is_writer_connected();
    void close() noexcept;
    bool is_open() const noexcept { return open_.load(std::memory_order_acquire); }
    std::uint64_t frames_read() const noexcept;
    std::uint64_t writer_sessions() const noexcept
    {
        return writer_sessions_.load(std::memory_order_relaxed);
    }
    std::uint64_t bytes_read() const noexcept;
    const protocol::segment_layout& layout() const noexcept { return view_.layout; }
    buffer_health health() const;
    const buffer_config& config() const noexcept { return config_; }

    /// One wait for a frame (reader_frame_wait.hpp): the blocking read and
    /// the externally driven `zerobuffer::frame_wait` share it.
    class frame_wait;

private:
    friend struct driven_frame_wait; // zerobuffer::frame_wait's state

    /// Wakes every read asleep on sem-w (the object closes), or the one of
    /// `interrupt` (its stop was requested); see detail/interrupt.hpp.
    void wake_all_sleepers() noexcept;
    void wake_sleeper(const wait_interrupt& interrupt, int rounds = 100) noexcept;
    /// Looks at the writer while a read waits (see `frame_wait::check`): reports
    /// a disconnect or a death in `event` once every committed frame was read.
    wait_verdict check_writer(bool expensive, boost::system::error_code& event);
    /// For a driven read about to sleep: the descriptor of `writer_watch_`
    /// when a watch made before the read's last look covers what that look
    /// would see change (see `frame_wait::watch_peer`), else -1.
    int writer_watch_fd();
    /// The wait of `read_frame` once its first look found nothing: out of
    /// line, so that a read that finds its frame at once pays nothing for
    /// what a wait needs.
    [[gnu::noinline]] frame wait_for_frame(std::chrono::nanoseconds timeout,
                                           const wait_strategy& strategy,
                                           const std::stop_token& stop,
                                           const frame_wait_start& seen,
                                           boost::system::error_code& ec);
    /// Takes the next committed frame. Caller holds `mutex_`.
    frame consume(boost::system::error_code& ec);
    /// Posts a sem-r token for each of `frames` released frames (caller holds
    /// `mutex_`).
    void post_release_tokens(std::uint64_t frames) noexcept;
    /// `ring_.has_unread_bytes()`, and when there is no frame, the space the
    /// ring holds back from releases goes back to the writer (with its
    /// tokens) first: the writer may need it to commit the frame we are about
    /// to wait for. Under `mutex_`.
    bool frame_committed() noexcept;
    /// Takes the tokens posted for frames already read, and those posted to
    /// wake sleeping reads (caller holds `mutex_`).
    void drain_tokens() noexcept;
    /// Ends the current writer session: the next writer starts at sequence 1
    /// and owes no tokens. Caller holds `mutex_`.
    void end_writer_session() noexcept;
    /// After everything `dead_pid` committed was read: marks the writer slot
    /// with our pid, repairs the position and count a writer killed inside
    /// its commit left, then clears the slot (caller holds `mutex_`).
    void repair_dead_writer(std::uint64_t dead_pid) noexcept;
    /// Lifts a dead writer's short written count to the read count.
    void reconcile_written_count() noexcept;
    void remove_resources() noexcept;

    std::string name_;
    resource_names names_;
    buffer_config config_;
    lock_file lock_;
    shm_segment segment_;
    semaphore sem_w_;
    semaphore sem_r_;
    protocol::segment_view view_;

    std::mutex mutex_; // serializes the ring reader: consumption and releases
    protocol::ring_reader ring_;
    std::atomic<bool> writer_seen_{false}; // a writer session is under way
    std::atomic<std::uint64_t> frames_read_{0};
    std::atomic<std::uint64_t> bytes_read_{0};
    std::atomic<std::uint64_t> writer_sessions_{0};
    // sem-w tokens taken minus frames consumed (guarded by mutex_): positive,
    // tokens that announce frames still to read; negative, frames read before
    // their token was posted.
    std::int64_t token_balance_ = 0;
    // Frames handed out and not released, and the reader's ownership while
    // it is detached with frames out (both guarded by mutex_).
    std::size_t frames_out_ = 0;
    std::shared_ptr<reader_impl> keep_alive_;
    // Frames read ahead of their tokens before the tokens are drained in one go.
    static constexpr std::int64_t token_drain_batch = 256;
    std::chrono::steady_clock::time_point next_liveness_check_{}; // guarded by mutex_
    // The current writer's beacon, or the beacon directory while no writer
    // was seen; made on a driven read's demand only (inotify instances are
    // few per user). Guarded by mutex_.
    file_watch writer_watch_;
    std::atomic<bool> open_{false};
    std::atomic<bool> closing_{false}; // set once by close(): ends every wait
    sleepers sleepers_;
    // sem-w tokens posted to wake sleeping reads, not yet subtracted from
    // token_balance_ (a stop callback posts them without the lock).
    std::atomic<std::uint64_t> wake_tokens_{0};
};

} // namespace zerobuffer::detail

#endif
