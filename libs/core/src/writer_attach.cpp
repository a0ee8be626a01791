// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

// How a writer attaches: the segment, the semaphores, its liveness beacon and
// the writer slot, which it shares with the reader's repair of a writer that
// died (see reader_impl::repair_dead_writer).

#include "writer_impl.hpp"

#include <zerobuffer/detail/liveness.hpp>

#include <algorithm>
#include <optional>
#include <thread>

namespace zerobuffer::detail {

namespace {

constexpr auto acquire = std::memory_order_acquire;
using clock = std::chrono::steady_clock;

/// How long a writer facing a dead writer's pid waits for the reader to clear
/// it before taking the slot over itself (PROTOCOL.md 6 allows that at once).
/// Our reader, while it reads, clears the pid within a liveness interval
/// after it has read the dead writer's last frame, and repairs first what a
/// writer killed inside its commit left half-stored; taking over earlier
/// would build on that stale position. Three default liveness intervals leave
/// room for a busy machine. A writer with a longer connect timeout waits that
/// long instead. A reader that is not reading, or a reader of another
/// implementation (which never clears the pid), costs this wait once.
constexpr std::chrono::nanoseconds dead_writer_grace = 3 * wait_strategy{}.liveness_interval;

/// How long a reader's repair mark may stand once we first saw it, even past
/// the grace: a repair is a few stores, so a mark older than this means a
/// stopped reader (or another implementation's writer in its process).
constexpr std::chrono::nanoseconds repair_mark_patience = std::chrono::milliseconds(100);

/// How often a writer waiting for the slot looks at it again.
constexpr auto slot_poll_interval = std::chrono::milliseconds(2);

} // namespace

void writer_impl::connect(boost::system::error_code& ec)
{
    using protocol::oieb_field;
    segment_ = shm_segment::open(names_.segment, false, ec);
    if (ec) {
        if (ec.value() == ENOENT) {
            ec = errc::no_reader;
        }
        return;
    }
    // A reader that is still creating the buffer has not sized the
    // segment or published its pid yet (it stores the pid last, with
    // release ordering): not a corrupted buffer, just no reader yet.
    if (segment_.size() < protocol::oieb_size) {
        ec = errc::no_reader;
        return;
    }
    const protocol::oieb_ref oieb(segment_.data());
    if (oieb.load(oieb_field::reader_pid, acquire) == 0) {
        ec = errc::no_reader;
        return;
    }
    const protocol::oieb_snapshot snap = protocol::take_snapshot(oieb);
    protocol::segment_layout layout;
    if ((ec = protocol::validate_oieb(snap, segment_.size(), layout))) {
        return;
    }
    view_ = protocol::segment_view{segment_.data(), layout};
    if (!reader_alive()) {
        ec = errc::no_reader;
        return;
    }
    sem_w_ = semaphore::open(names_.write_semaphore, ec);
    if (!ec) {
        sem_r_ = semaphore::open(names_.read_semaphore, ec);
    }
    if (ec) {
        ec = ec.value() == ENOENT ? boost::system::error_code(errc::no_reader) : ec;
        return;
    }
    // Our liveness beacon for the reader, valid across PID namespaces. A
    // writer of ours with the same pid in another namespace holds it too.
    ensure_lock_directory(writer_lock_directory(), ec);
    if (!ec) {
        // Readable by exactly those who may use the buffer: nobody else
        // can hold it to make a dead writer look alive.
        writer_lock_ =
            lock_file::acquire(writer_lock_path(name_, pid_), segment_.access().mode & 0644U,
                               errc::writer_already_connected, ec);
    }
    if (ec) {
        return;
    }
    bool took_over = false;
    if (!claim_writer_slot(took_over, ec)) {
        writer_lock_.remove_and_release();
        return;
    }
    // A writer killed inside its commit left a position and a count that
    // our reader repairs before it clears the slot; taking the slot over
    // ourselves, we repair them when that is provably safe. Either way
    // the ring writer loads them after the claim.
    if (took_over) {
        protocol::repair_lost_commit(view_);
    }
    ring_ = protocol::ring_writer(view_);
    // Tokens for an earlier writer's frames are nobody's to take but ours:
    // take them now, or each session that never waited would leave its
    // last undrained batch behind and the count would creep toward
    // SEM_VALUE_MAX across sessions. (Tokens for its frames still unread
    // come later, at most a ringful; our drains take them in place of as
    // many of ours, which the next writer takes when it attaches.)
    while (sem_r_.try_wait()) {
    }
    open_.store(true, std::memory_order_release);
}

writer_impl::slot_state writer_impl::classify_slot(std::uint64_t pid) const noexcept
{
    using protocol::oieb_field;
    if (pid == 0) {
        return slot_state::free;
    }
    // Our reader marks the slot with its own pid while it repairs (see
    // reader_impl::repair_dead_writer). A writer of ours with that pid
    // holds its beacon: in our own process it would have kept us from
    // taking ours, so with our pid it is the mark; in another process the
    // reader's process has a writer, attached or waiting for this very
    // mark, and the slot is that writer's.
    const std::uint64_t reader = view_.oieb().load(oieb_field::reader_pid, acquire);
    if (pid == reader) {
        return pid == pid_ || !writer_beacon_held(name_, pid, segment_.access())
                   ? slot_state::repairing
                   : slot_state::occupied;
    }
    if (pid == pid_) {
        // We hold the beacon of our pid, so everyone (our reader too)
        // sees this dead writer alive: nobody else will clear it.
        return slot_state::stale_own;
    }
    return writer_alive(name_, pid, segment_.access()) ? slot_state::occupied : slot_state::dead;
}

bool writer_impl::claim_writer_slot(bool& took_over, boost::system::error_code& ec)
{
    using protocol::oieb_field;
    const protocol::oieb_ref oieb = view_.oieb();
    // Saturating: a connect timeout of nanoseconds::max() waits for ever.
    const auto grace_end = deadline_after(
        std::max<std::chrono::nanoseconds>(options_.connect_timeout, dead_writer_grace));
    std::optional<clock::time_point> mark_patience_end;
    std::uint64_t current = oieb.load(oieb_field::writer_pid, acquire);
    for (;;) {
        const slot_state state = classify_slot(current);
        const auto now = clock::now();
        if (state == slot_state::repairing && !mark_patience_end) {
            // The reader may start its repair just as the grace ends (its
            // compare-exchange won against our takeover): let it finish.
            mark_patience_end = now + repair_mark_patience;
        }
        const bool wait =
            (state == slot_state::dead && now < grace_end) ||
            (state == slot_state::repairing && (now < grace_end || now < *mark_patience_end));
        if (wait) {
            std::this_thread::sleep_for(slot_poll_interval);
            if (!reader_alive()) {
                ec = errc::no_reader;
                return false;
            }
            current = oieb.load(oieb_field::writer_pid, acquire);
            continue;
        }
        // A repair is a few stores: a mark that outlives the grace is not
        // ours to remove (the reader stopped, or it is a writer of
        // another implementation in the reader's process).
        if (state == slot_state::occupied || state == slot_state::repairing) {
            ec = errc::writer_already_connected;
            return false;
        }
        // Acquire: a reader that cleared the slot repaired before it did.
        if (oieb.compare_exchange(oieb_field::writer_pid, current, pid_,
                                  std::memory_order_acq_rel)) {
            took_over = state != slot_state::free;
            return true;
        }
    }
}

} // namespace zerobuffer::detail
