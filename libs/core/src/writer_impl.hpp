// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

#ifndef ZEROBUFFER_SRC_WRITER_IMPL_HPP
#define ZEROBUFFER_SRC_WRITER_IMPL_HPP

// The state behind a `writer`: attaching (writer_attach.cpp) and writing
// (writer_impl.cpp).

#include <zerobuffer/detail/file_watch.hpp>
#include <zerobuffer/detail/interrupt.hpp>
#include <zerobuffer/detail/lock_file.hpp>
#include <zerobuffer/detail/semaphore.hpp>
#include <zerobuffer/detail/shm_segment.hpp>
#include <zerobuffer/detail/token_wait.hpp>
#include <zerobuffer/protocol/ring_engine.hpp>
#include <zerobuffer/resources.hpp>
#include <zerobuffer/writer.hpp>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <limits>
#include <mutex>
#include <span>
#include <stop_token>
#include <string>
#include <string_view>

namespace zerobuffer::detail {

class writer_impl {
public:
    /// Attaches to the buffer `name`, waiting up to the connect timeout for
    /// its reader; throws as `writer::writer` documents.
    writer_impl(std::string_view name, const writer_options& options);
    ~writer_impl() { close(); }
    writer_impl(const writer_impl&) = delete;
    writer_impl& operator=(const writer_impl&) = delete;

    const std::string& name() const noexcept { return name_; }
    const writer_options& options() const noexcept { return options_; }
    void set_metadata(std::span<const std::byte> content, boost::system::error_code& ec);
    /// Writes a frame, waiting for space up to the write timeout; `stop` (and
    /// `close()` from another thread) end the wait with `operation_aborted`.
    void write(std::span<const std::byte> data, const std::stop_token& stop,
               boost::system::error_code& ec);
    /// Writes a frame if there is room now; false (no error) when there is not.
    bool try_write(std::span<const std::byte> data, boost::system::error_code& ec);
    std::span<std::byte> get_frame_buffer(std::size_t size, const std::stop_token& stop,
                                          boost::system::error_code& ec);
    /// Reserves a frame if there is room now; an empty span (no error) when not.
    std::span<std::byte> try_get_frame_buffer(std::size_t size, boost::system::error_code& ec);
    void commit_frame(boost::system::error_code& ec);
    void abandon_frame() noexcept;
    bool is_reader_connected() const { return is_open() && reader_alive(); }
    void close() noexcept;
    bool is_open() const noexcept { return open_.load(std::memory_order_acquire); }
    void set_timeout(std::chrono::nanoseconds t) noexcept { timeout_.store(t); }
    std::chrono::nanoseconds timeout() const noexcept { return timeout_.load(); }
    std::uint64_t frames_written() const noexcept
    {
        return frames_written_.load(std::memory_order_relaxed);
    }
    std::uint64_t bytes_written() const noexcept
    {
        return bytes_written_.load(std::memory_order_relaxed);
    }
    std::uint64_t max_frame_size() const noexcept
    {
        return protocol::largest_frame_always_fits(view_.layout.payload_size);
    }

private:
    /// What the writer pid found in the OIEB means to us.
    enum class slot_state {
        free,      ///< 0: claim it
        repairing, ///< the reader's mark: it repairs a dead writer's leftovers
        occupied,  ///< a live writer
        dead,      ///< a writer that died; our reader clears it soon
        stale_own, ///< our own pid, left by a dead writer of that pid
    };

    /// One attempt to attach: opens and checks the segment and semaphores,
    /// takes our liveness beacon, claims the writer slot. `no_reader` when
    /// there is no live reader (yet).
    void connect(boost::system::error_code& ec);
    slot_state classify_slot(std::uint64_t pid) const noexcept;
    /// Stores our pid in the writer slot: at once when it is free; when the
    /// reader is repairing a dead writer's leftovers or a dead writer's pid is
    /// there, only after the reader cleared it, or, for a dead pid, once
    /// `dead_writer_grace` (or the connect timeout, if longer) passed.
    /// `took_over`: we replaced a dead writer's pid, nobody repaired it.
    bool claim_writer_slot(bool& took_over, boost::system::error_code& ec);

public:
    /// One wait for room (writer_space_wait.hpp): the blocking writes and
    /// the externally driven `zerobuffer::space_wait` share it.
    class space_wait;

private:
    friend struct driven_space_wait; // zerobuffer::space_wait's state

    /// Reserves a frame of `size` bytes. With no room: an empty span and no
    /// error when `stop` is null (a try); otherwise waits for space up to the
    /// write timeout with `lock` released (`buffer_full`, `reader_dead` or
    /// `operation_aborted` when it ends without). Caller holds `lock` on
    /// `mutex_`.
    std::span<std::byte> reserve(std::unique_lock<std::mutex>& lock, std::size_t size,
                                 const std::stop_token* stop, boost::system::error_code& ec);
    /// The wait of `reserve` once the ring had no room: out of line, so that
    /// a write that finds room at once pays nothing for what a wait needs.
    [[gnu::noinline]] std::span<std::byte> wait_for_room(std::unique_lock<std::mutex>& lock,
                                                         std::size_t size,
                                                         const std::stop_token& stop,
                                                         boost::system::error_code& ec);
    /// Copies `data` into the area reserved for it and commits it (caller
    /// holds `mutex_`).
    void copy_and_commit(std::span<std::byte> area, std::span<const std::byte> data,
                         boost::system::error_code& ec);
    /// Wakes every write asleep on sem-r (the object closes), or the one of
    /// `interrupt` (its stop was requested); see detail/interrupt.hpp.
    void wake_all_sleepers() noexcept;
    void wake_sleeper(const wait_interrupt& interrupt, int rounds = 100) noexcept;
    /// Publishes the reserved frame and posts its token (caller holds `mutex_`).
    void commit(boost::system::error_code& ec);
    /// Takes the sem-r tokens posted so far for our frames, and those posted
    /// to wake sleeping writes (caller holds `mutex_`). What is left of
    /// `release_tokens_` then is owed by frames the reader has not released,
    /// at most a ringful: the semaphore's count stays below a ringful plus
    /// `token_drain_every`.
    void drain_release_tokens() noexcept;
    /// Counts the tokens posted to wake sleeping writes among those to take
    /// (caller holds `mutex_`).
    void take_back_wake_tokens() noexcept;
    /// A wait took one sem-r token (caller holds `mutex_`).
    void count_taken_token() noexcept;
    /// The reader is alive while it holds its lock, has not cleared its pid,
    /// and our segment is still the one under the name.
    bool reader_alive() const noexcept;
    bool has_space(std::uint64_t needed) const noexcept;
    /// For a driven write about to sleep: the descriptor of `reader_watch_`
    /// when a watch made before the write's last look covers what that look
    /// would see change (see `space_wait::watch_peer`), else -1.
    int reader_watch_fd();
    /// Takes the events of the reader's watch before a look at the reader
    /// (they make the sleeps after it slices for a while: see
    /// `file_watch::last_event`).
    void take_reader_events();
    /// For a try that found no room: whether the reader is gone (looked at
    /// once per liveness interval; caller holds `mutex_`).
    bool reader_gone_for_try() noexcept;
    std::string name_;
    resource_names names_;
    writer_options options_;
    std::uint64_t pid_;
    lock_file writer_lock_;
    shm_segment segment_;
    semaphore sem_w_;
    semaphore sem_r_;
    protocol::segment_view view_;
    protocol::ring_writer ring_;
    // Guards the ring writer and the token counts; never held across a wait
    // for room (writes that wait do so side by side, each aimed anew at the
    // write position after every round).
    std::mutex mutex_;
    std::atomic<bool> open_{false};
    std::atomic<bool> closing_{false}; // set once by close(): ends every wait
    std::chrono::steady_clock::time_point next_try_liveness_check_{}; // guarded by mutex_
    // The reader's lock file, watched on a driven write's demand only
    // (inotify instances are few per user); guarded by reader_watch_mutex_,
    // not mutex_: waits look without it.
    std::mutex reader_watch_mutex_;
    file_watch reader_watch_;
    sleepers sleepers_;
    // sem-r tokens posted to wake sleeping writes, not yet added to
    // release_tokens_ (a stop callback posts them without the lock).
    std::atomic<std::uint64_t> wake_tokens_{0};
    std::size_t pending_size_ = 0;
    // Frames from this size on are copied with streaming stores (copy_policy).
    std::uint64_t stream_from_ = std::numeric_limits<std::uint64_t>::max();
    // sem-r tokens for our frames that we have not taken: one per frame
    // committed, posted when the reader releases it (guarded by mutex_).
    std::uint64_t release_tokens_ = 0;
    static constexpr std::uint64_t token_drain_every = std::uint64_t{1} << 16;
    std::uint64_t next_token_drain_ = token_drain_every;
    std::atomic<std::chrono::nanoseconds> timeout_{options_.write_timeout};
    std::atomic<std::uint64_t> frames_written_{0};
    std::atomic<std::uint64_t> bytes_written_{0};
};

} // namespace zerobuffer::detail

#endif // ZEROBUFFER_SRC_WRITER_IMPL_HPP
