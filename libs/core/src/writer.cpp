// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

#include <zerobuffer/detail/liveness.hpp>
#include <zerobuffer/detail/lock_file.hpp>
#include <zerobuffer/detail/process.hpp>
#include <zerobuffer/detail/semaphore.hpp>
#include <zerobuffer/detail/shm_segment.hpp>
#include <zerobuffer/detail/stream_copy.hpp>
#include <zerobuffer/detail/token_wait.hpp>
#include <zerobuffer/protocol/metadata.hpp>
#include <zerobuffer/protocol/ring_engine.hpp>
#include <zerobuffer/resources.hpp>
#include <zerobuffer/writer.hpp>

#include <algorithm>
#include <cstring>
#include <limits>
#include <mutex>
#include <thread>

namespace zerobuffer {
namespace detail {

namespace {

constexpr auto acquire = std::memory_order_acquire;
using clock = std::chrono::steady_clock;

/// How long a writer facing a dead writer's pid waits for the reader to clear
/// it before taking the slot over itself (PROTOCOL.md 6 allows that at once).
/// Our reader, while it reads, clears the pid within a liveness interval
/// after it has read the dead writer's last frame, and repairs first what a
/// writer killed inside its commit left half-stored; taking over earlier
/// would build on that stale position. Three default liveness intervals leave
/// room for a busy machine. A reader that is not reading, or a reader of
/// another implementation (which never clears the pid), costs this wait once.
constexpr std::chrono::nanoseconds dead_writer_grace = 3 * wait_strategy{}.liveness_interval;

/// How often a writer waiting for the slot looks at it again.
constexpr auto slot_poll_interval = std::chrono::milliseconds(2);

} // namespace

/// The state behind a `writer`.
class writer_impl {
public:
    writer_impl(std::string_view name, const writer_options& options)
        : name_(name), options_(options), pid_(current_pid())
    {
        const std::string what = "zerobuffer::writer '" + name_ + "'";
        if (auto ec = validate_name(name)) {
            throw_error(ec, what);
        }
        names_ = names_of(name_);
        const auto deadline = deadline_after(options.connect_timeout);
        boost::system::error_code ec;
        for (;;) {
            connect(ec);
            if (!ec || ec != errc::no_reader || clock::now() >= deadline) {
                break;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
        if (ec) {
            throw_error(ec, what);
        }
        stream_from_ =
            streaming_threshold(options.copy, view_.layout.payload_size, last_level_cache_bytes());
    }

    ~writer_impl() { close(); }

    const std::string& name() const noexcept { return name_; }

    void set_metadata(std::span<const std::byte> content, boost::system::error_code& ec)
    {
        const std::lock_guard lock(mutex_);
        if (!open_) {
            ec = errc::invalid_state;
            return;
        }
        ec = protocol::write_metadata(view_.oieb(), view_.metadata_block(), content);
    }

    std::span<std::byte> reserve(std::size_t size, boost::system::error_code& ec)
    {
        ec = {};
        if (!open_) {
            ec = errc::invalid_state;
            return {};
        }
        std::span<std::byte> data;
        ec = ring_.try_reserve(size, data);
        if (ec != errc::buffer_full) {
            return data;
        }
        const auto deadline = deadline_after(timeout_);
        protocol::write_placement placement;
        protocol::place_frame(view_.layout.payload_size, ring_.write_pos(), size, placement);
        for (;;) {
            boost::system::error_code event;
            const auto outcome = wait_for_token(
                sem_r_, options_.wait, deadline,
                [&](bool expensive) {
                    return check_space(expensive, placement.space_needed, event);
                },
                [&] { return has_space(placement.space_needed); },
                [&] {
                    // Tokens of releases we did not wait for would only wake
                    // us for nothing.
                    drain_release_tokens();
                    return has_space(placement.space_needed);
                });
            if (outcome == wait_outcome::stopped) {
                ec = event;
                return {};
            }
            if (outcome == wait_outcome::token) {
                release_tokens_ -= release_tokens_ != 0 ? 1 : 0;
            }
            // A token, or space seen while spinning.
            ec = ring_.try_reserve(size, data);
            if (ec != errc::buffer_full) {
                return data;
            }
            if (outcome == wait_outcome::timed_out) {
                return {};
            }
        }
    }

    void commit(boost::system::error_code& ec)
    {
        ec = {};
        if (!open_ || !ring_.has_reservation()) {
            ec = errc::invalid_state;
            return;
        }
        ring_.commit();
        // The reader posts a sem-r token per release; nobody takes them while
        // we never wait. Take them in bulk long before the count could reach
        // SEM_VALUE_MAX (where sem_post fails), a local loop while the
        // semaphore's cache line stays with the reader between bulks.
        if (++release_tokens_ >= next_token_drain_) {
            drain_release_tokens();
            next_token_drain_ = release_tokens_ + token_drain_every;
        }
        frames_written_.store(frames_written_.load(std::memory_order_relaxed) + 1,
                              std::memory_order_relaxed);
        bytes_written_.store(bytes_written_.load(std::memory_order_relaxed) + pending_size_,
                             std::memory_order_relaxed);
        sem_w_.post(ec);
    }

    void write(std::span<const std::byte> data, boost::system::error_code& ec)
    {
        const std::lock_guard lock(mutex_);
        if (ring_.has_reservation()) {
            ec = errc::invalid_state;
            return;
        }
        const std::span<std::byte> area = reserve(data.size(), ec);
        if (ec) {
            return;
        }
        if (data.size() >= stream_from_) {
            stream_copy(area.data(), data.data(), data.size());
        } else {
            std::memcpy(area.data(), data.data(), data.size());
        }
        pending_size_ = data.size();
        commit(ec);
    }

    std::span<std::byte> get_frame_buffer(std::size_t size, boost::system::error_code& ec)
    {
        const std::lock_guard lock(mutex_);
        if (ring_.has_reservation()) {
            ec = errc::invalid_state;
            return {};
        }
        auto area = reserve(size, ec);
        pending_size_ = ec ? 0 : size;
        return area;
    }

    void commit_frame(boost::system::error_code& ec)
    {
        const std::lock_guard lock(mutex_);
        commit(ec);
    }

    bool is_reader_connected() const { return open_ && reader_alive(); }

    void close() noexcept
    {
        const std::lock_guard lock(mutex_);
        if (!open_) {
            return;
        }
        open_ = false;
        ring_.abandon();
        std::uint64_t expected = pid_;
        view_.oieb().compare_exchange(protocol::oieb_field::writer_pid, expected, 0,
                                      std::memory_order_acq_rel);
        writer_lock_.remove_and_release();
    }

    bool is_open() const noexcept { return open_; }
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
    void connect(boost::system::error_code& ec)
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
        open_ = true;
    }

    /// What the writer pid found in the OIEB means to us.
    enum class slot_state {
        free,      ///< 0: claim it
        repairing, ///< the reader's mark: it repairs a dead writer's leftovers
        occupied,  ///< a live writer
        dead,      ///< a writer that died; our reader clears it soon
        stale_own, ///< our own pid, left by a dead writer of that pid
    };

    slot_state classify_slot(std::uint64_t pid) const noexcept
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
        return writer_alive(name_, pid, segment_.access()) ? slot_state::occupied
                                                           : slot_state::dead;
    }

    /// Stores our pid in the writer slot: at once when it is free; when the
    /// reader is repairing a dead writer's leftovers or a dead writer's pid is
    /// there, only after the reader cleared it, or, for a dead pid, once
    /// `dead_writer_grace` (or the connect timeout, if longer) passed.
    /// `took_over`: we replaced a dead writer's pid, nobody repaired it.
    bool claim_writer_slot(bool& took_over, boost::system::error_code& ec)
    {
        using protocol::oieb_field;
        const protocol::oieb_ref oieb = view_.oieb();
        const auto grace_end = clock::now() + std::max<std::chrono::nanoseconds>(
                                                  options_.connect_timeout, dead_writer_grace);
        std::uint64_t current = oieb.load(oieb_field::writer_pid, acquire);
        for (;;) {
            const slot_state state = classify_slot(current);
            const bool wait = state == slot_state::repairing || state == slot_state::dead;
            if (wait && clock::now() < grace_end) {
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

    /// Takes the sem-r tokens posted so far for our frames. What is left of
    /// `release_tokens_` then is owed by frames the reader has not released,
    /// at most a ringful: the semaphore's count stays below a ringful plus
    /// `token_drain_every`.
    void drain_release_tokens() noexcept
    {
        while (release_tokens_ != 0 && sem_r_.try_wait()) {
            --release_tokens_;
        }
    }

    /// The reader is alive while it holds its lock, has not cleared its pid,
    /// and our segment is still the one under the name.
    bool reader_alive() const noexcept
    {
        return segment_.is_linked() &&
               detail::reader_alive(name_,
                                    view_.oieb().load(protocol::oieb_field::reader_pid, acquire));
    }

    bool has_space(std::uint64_t needed) const noexcept
    {
        return view_.oieb().load(protocol::oieb_field::payload_free_bytes, acquire) >= needed;
    }

    /// While a write waits: proceeds once the free bytes cover `needed`
    /// (they may grow by a release whose token an earlier turn consumed), stops
    /// when the reader died.
    wait_verdict check_space(bool expensive, std::uint64_t needed, boost::system::error_code& event)
    {
        if (has_space(needed)) {
            return wait_verdict::proceed;
        }
        if (expensive && !reader_alive()) {
            event = errc::reader_dead;
            return wait_verdict::stop;
        }
        return wait_verdict::keep_waiting;
    }

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
    std::mutex mutex_;
    bool open_ = false;
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

} // namespace detail

namespace {
detail::writer_impl& checked(const std::unique_ptr<detail::writer_impl>& impl)
{
    if (!impl) {
        throw_error(errc::invalid_state, "zerobuffer::writer: moved-from object");
    }
    return *impl;
}

void throw_if(const boost::system::error_code& ec, const char* op, const std::string& name)
{
    if (ec) {
        throw_error(ec, std::string("zerobuffer::writer::") + op + " '" + name + "'");
    }
}
} // namespace

writer::writer(std::string_view name, const writer_options& options)
    : impl_(std::make_unique<detail::writer_impl>(name, options))
{
}

writer::writer(writer&&) noexcept = default;
writer& writer::operator=(writer&&) noexcept = default;
writer::~writer() = default;

const std::string& writer::name() const noexcept
{
    static const std::string empty;
    return impl_ ? impl_->name() : empty;
}

void writer::set_metadata(std::span<const std::byte> content)
{
    boost::system::error_code ec;
    set_metadata(content, ec);
    throw_if(ec, "set_metadata", name());
}

void writer::set_metadata(std::span<const std::byte> content, boost::system::error_code& ec)
{
    checked(impl_).set_metadata(content, ec);
}

void writer::write_frame(std::span<const std::byte> data)
{
    boost::system::error_code ec;
    write_frame(data, ec);
    throw_if(ec, "write_frame", name());
}

void writer::write_frame(std::span<const std::byte> data, boost::system::error_code& ec)
{
    checked(impl_).write(data, ec);
}

std::span<std::byte> writer::get_frame_buffer(std::size_t size)
{
    boost::system::error_code ec;
    auto area = get_frame_buffer(size, ec);
    throw_if(ec, "get_frame_buffer", name());
    return area;
}

std::span<std::byte> writer::get_frame_buffer(std::size_t size, boost::system::error_code& ec)
{
    return checked(impl_).get_frame_buffer(size, ec);
}

void writer::commit_frame()
{
    boost::system::error_code ec;
    commit_frame(ec);
    throw_if(ec, "commit_frame", name());
}

void writer::commit_frame(boost::system::error_code& ec)
{
    checked(impl_).commit_frame(ec);
}

void writer::set_write_timeout(std::chrono::nanoseconds timeout) noexcept
{
    if (impl_) {
        impl_->set_timeout(timeout);
    }
}

std::chrono::nanoseconds writer::write_timeout() const noexcept
{
    return impl_ ? impl_->timeout() : std::chrono::nanoseconds::zero();
}

bool writer::is_reader_connected() const
{
    return impl_ && impl_->is_reader_connected();
}

void writer::close() noexcept
{
    if (impl_) {
        impl_->close();
    }
}

bool writer::is_open() const noexcept
{
    return impl_ && impl_->is_open();
}

std::uint64_t writer::frames_written() const noexcept
{
    return impl_ ? impl_->frames_written() : 0;
}

std::uint64_t writer::bytes_written() const noexcept
{
    return impl_ ? impl_->bytes_written() : 0;
}

std::uint64_t writer::max_frame_size() const noexcept
{
    return impl_ ? impl_->max_frame_size() : 0;
}

} // namespace zerobuffer
