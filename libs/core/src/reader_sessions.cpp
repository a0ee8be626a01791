// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

// A reader's writer sessions: telling a writer that left from one that died,
// repairing what a dead writer left half-stored, ending a session.

#include "reader_impl.hpp"

#include <algorithm>

#include <zerobuffer/detail/deadline.hpp>
#include <zerobuffer/detail/liveness.hpp>
#include <zerobuffer/detail/process.hpp>

namespace zerobuffer::detail {

namespace {
constexpr auto acquire = std::memory_order_acquire;
} // namespace

void reader_impl::reconcile_written_count() noexcept
{
    // A writer killed inside its commit, after it gave up the free bytes but
    // before it counted the frame, leaves written_count one short of what we
    // read. Everything committed has been read when we get here, so lift the
    // count to ours (never lower it: a Python writer counts marker-less wraps,
    // which we do not) and peers that compare the counts agree again.
    using protocol::oieb_field;
    const protocol::oieb_ref oieb = view_.oieb();
    const std::uint64_t read = oieb.load(oieb_field::payload_read_count, acquire);
    std::uint64_t written = oieb.load(oieb_field::payload_written_count, acquire);
    if (written < read) {
        oieb.compare_exchange(oieb_field::payload_written_count, written, read,
                              std::memory_order_acq_rel);
    }
}

void reader_impl::end_writer_session() noexcept
{
    writer_seen_.store(false, std::memory_order_relaxed);
    ring_.restart_sequence();
    // Take what the writer posted for frames we read; a dead writer may owe
    // tokens it never posted, and the next writer's must not pay for them.
    drain_tokens();
    // Owed tokens are forgiven; credit is kept: with every committed frame
    // read, only a token posted to wake a sleeping read, not yet counted,
    // can have brought the balance above 0.
    token_balance_ = std::max<std::int64_t>(token_balance_, 0);
}

void reader_impl::repair_dead_writer(std::uint64_t dead_pid) noexcept
{
    using protocol::oieb_field;
    const protocol::oieb_ref oieb = view_.oieb();
    // Our own pid marks the slot "repair in progress": a writer of ours waits
    // while it is there (the mark is our pid in the OIEB's reader_pid and we
    // hold no writer beacon), and any writer that checks it finds a live
    // process, so nobody takes the slot over and builds on the position and
    // count we are about to change. A replacement that took the dead pid
    // before us owns the slot: we repair nothing (it may, see
    // protocol::repair_lost_commit).
    const std::uint64_t self = current_pid();
    std::uint64_t expected = dead_pid;
    if (!oieb.compare_exchange(oieb_field::writer_pid, expected, self, std::memory_order_acq_rel)) {
        return;
    }
    reconcile_written_count();
    // Everything it committed was read: the next writer continues where we
    // stand, whatever position the dead one managed to store. A writer that
    // stored its pid over our mark without looking (not one of ours) keeps
    // the position it may have loaded since.
    std::uint64_t stale_pos = oieb.load(oieb_field::payload_write_pos, acquire);
    oieb.compare_exchange(oieb_field::payload_write_pos, stale_pos, ring_.read_pos(),
                          std::memory_order_acq_rel);
    // Release: a writer that claims the cleared slot sees the repairs. Only
    // our mark is cleared; a pid stored over it stays.
    expected = self;
    oieb.compare_exchange(oieb_field::writer_pid, expected, 0, std::memory_order_acq_rel);
}

wait_verdict reader_impl::check_writer(bool expensive, boost::system::error_code& event)
{
    using protocol::oieb_field;
    // The pid first (acquire): a writer commits every frame before it clears
    // its pid, so "pid 0, then nothing unread" means everything was read.
    const std::uint64_t pid = view_.oieb().load(oieb_field::writer_pid, acquire);
    if (pid != 0 && !expensive) {
        // A live session: its tokens wake us; no lock while spinning.
        if (!writer_seen_.load(std::memory_order_relaxed)) {
            writer_seen_.store(true, std::memory_order_relaxed);
        }
        return wait_verdict::keep_waiting;
    }
    if (pid == 0 && !writer_seen_.load(std::memory_order_relaxed)) {
        return wait_verdict::keep_waiting; // no writer yet
    }
    const std::lock_guard lock(mutex_);
    if (frame_committed()) {
        return wait_verdict::proceed; // committed, its token not (yet) posted
    }
    if (pid != 0) {
        writer_seen_.store(true, std::memory_order_relaxed);
        // Liveness costs syscalls: at most once per interval, however often
        // short reads ask, unless the watch of the writer's beacon saw it
        // closed or removed since the last look. The events are taken before
        // the look: a later one wakes the next sleep.
        const bool beacon_changed = writer_watch_.drain();
        const auto now = std::chrono::steady_clock::now();
        if (now < next_liveness_check_ && !beacon_changed) {
            return wait_verdict::keep_waiting;
        }
        next_liveness_check_ = now + config_.wait.liveness_interval;
        if (writer_alive(name_, pid, segment_.access())) {
            // Right after an event the beacon may still be held (a dying
            // process's close comes before the kernel releases its lock):
            // writer_watch_fd makes the sleeps slices for a while.
            return wait_verdict::keep_waiting;
        }
        // Dead, and everything it committed was delivered: repair what it
        // left half-stored, then clear its pid so that the next writer may
        // attach, and report it once.
        repair_dead_writer(pid);
        end_writer_session();
        event = errc::writer_dead;
        return wait_verdict::stop;
    }
    reconcile_written_count();
    end_writer_session();
    event = errc::writer_disconnected;
    return wait_verdict::stop;
}

int reader_impl::writer_watch_fd()
{
    using protocol::oieb_field;
    const std::lock_guard lock(mutex_);
    // An event since the last look, or one a liveness interval ago at most,
    // makes this sleep a slice with an unskipped look after it: what an
    // event announces can show a moment after it (a dying writer's beacon
    // is closed before the kernel releases its lock; our writer makes its
    // beacon before it stores its pid, which raises no event). Every read
    // asleep on the watch was woken by the event itself.
    writer_watch_.drain();
    const auto now = std::chrono::steady_clock::now();
    if (now < time_after(writer_watch_.last_event(), config_.wait.liveness_interval)) {
        next_liveness_check_ = {};
        return -1;
    }
    const std::uint64_t pid = view_.oieb().load(oieb_field::writer_pid, acquire);
    std::string path;
    watched_kind kind = watched_kind::lock_file;
    try {
        if (pid != 0) {
            // The beacon our writers hold (none for a writer of another
            // implementation: then nothing is watched).
            path = writer_lock_path(name_, pid);
        } else if (!writer_seen_.load(std::memory_order_relaxed)) {
            // No writer yet: ours creates its beacon before it stores its
            // pid, so a new entry in the directory wakes the sleep.
            path = writer_lock_directory();
            kind = watched_kind::directory;
        } else {
            return -1; // the writer left: the next look reports it
        }
    } catch (...) { // no memory for the path: sleep in slices
        return -1;
    }
    switch (writer_watch_.watch(path, kind)) {
    case file_watch::result::kept: return writer_watch_.fd();
    case file_watch::result::made:
        // It saw nothing of what happened since the last look: this sleep
        // is a slice, and the look after it is not skipped for the rate of
        // looks, so that the next sleep, watched, starts from a look made
        // after the watch.
        next_liveness_check_ = {};
        return -1;
    case file_watch::result::failed: break;
    }
    return -1;
}

bool reader_impl::is_writer_connected()
{
    std::uint64_t pid = 0;
    {
        // Never the pid that marks our repair of a dead writer's slot (our
        // own, alive): the mark lives only while check_writer holds the lock.
        const std::lock_guard lock(mutex_);
        pid = view_.oieb().load(protocol::oieb_field::writer_pid, acquire);
    }
    const bool connected = is_open() && writer_alive(name_, pid, segment_.access());
    if (connected) {
        // Seen: its departure will be reported as a disconnect.
        writer_seen_.store(true, std::memory_order_relaxed);
    }
    return connected;
}

} // namespace zerobuffer::detail
