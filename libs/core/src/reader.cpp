// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

#include "reader_impl.hpp"

#include <zerobuffer/detail/liveness.hpp>
#include <zerobuffer/detail/prefetch.hpp>
#include <zerobuffer/detail/process.hpp>
#include <zerobuffer/protocol/metadata.hpp>
#include <zerobuffer/reader.hpp>

namespace zerobuffer {
namespace detail {

namespace {

constexpr auto acquire = std::memory_order_acquire;

void throw_if(const boost::system::error_code& ec, const std::string& what)
{
    if (ec) {
        throw_error(ec, what);
    }
}

} // namespace

reader_impl::reader_impl(std::string_view name, const buffer_config& config)
    : name_(name), config_(config)
{
    const std::string what = "zerobuffer::reader '" + name_ + "'";
    throw_if(validate_name(name), what);
    const auto layout = protocol::make_layout(config.metadata_size, config.payload_size);
    if (!layout || config.mode > 0777) {
        throw_error(errc::invalid_config,
                    what + ": payload size must be > 0, blocks at most 1 TiB, mode at most 0777");
    }
    names_ = names_of(name_);

    boost::system::error_code ec;
    cleanup_stale_resources();
    ensure_lock_directory(lock_directory(), ec);
    throw_if(ec, what + ": lock directory " + lock_directory());
    lock_ = lock_file::acquire(names_.lock_file, config.mode, ec);
    throw_if(ec, what + ": lock file " + names_.lock_file);

    // From here on a failure must leave nothing behind.
    struct rollback {
        reader_impl* self;
        ~rollback()
        {
            if (self != nullptr) {
                self->remove_resources();
            }
        }
    } guard{this};

    // We hold the lock, so whatever exists under our names is a dead reader's
    // debris (the Python reference never removes its semaphores).
    shm_segment::remove(names_.segment);
    semaphore::remove(names_.write_semaphore);
    semaphore::remove(names_.read_semaphore);

    // Semaphores first: a writer that finds the segment finds them too.
    sem_w_ = semaphore::create(names_.write_semaphore, config.mode, ec);
    throw_if(ec, what + ": semaphore " + names_.write_semaphore);
    sem_r_ = semaphore::create(names_.read_semaphore, config.mode, ec);
    throw_if(ec, what + ": semaphore " + names_.read_semaphore);
    segment_ = shm_segment::create(names_.segment, layout->segment_size(), config.mode, ec);
    throw_if(ec, what + ": shared memory " + names_.segment + " of " +
                     std::to_string(layout->segment_size()) + " bytes");

    view_ = protocol::segment_view{segment_.data(), *layout};
    protocol::initialize_oieb(view_.oieb(), *layout, current_pid());
    ring_ = protocol::ring_reader(view_);
    open_.store(true, std::memory_order_release);
    guard.self = nullptr;
}

reader_impl::~reader_impl()
{
    close();
}

void reader_impl::remove_resources() noexcept
{
    remove_stale_writer_locks(name_);
    shm_segment::remove(names_.segment);
    semaphore::remove(names_.write_semaphore);
    semaphore::remove(names_.read_semaphore);
    lock_.remove_and_release();
}

void reader_impl::close() noexcept
{
    bool was_open = true;
    if (!open_.compare_exchange_strong(was_open, false)) {
        return;
    }
    view_.oieb().store(protocol::oieb_field::reader_pid, 0, std::memory_order_release);
    // The mapping and semaphore handles stay until the last frame is released.
    remove_resources();
}

std::span<const std::byte> reader_impl::metadata(boost::system::error_code& ec) const
{
    if (!is_open()) {
        ec = errc::invalid_state;
        return {};
    }
    const std::uint64_t written =
        view_.oieb().load(protocol::oieb_field::metadata_written_bytes, acquire);
    return protocol::parse_metadata(view_.metadata_block(), written, ec);
}

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
    token_balance_ = 0;
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
    if (ring_.has_unread_bytes()) {
        return wait_verdict::proceed; // committed, its token not (yet) posted
    }
    if (pid != 0) {
        writer_seen_.store(true, std::memory_order_relaxed);
        // Liveness costs syscalls: at most once per interval, however often
        // short reads ask.
        const auto now = std::chrono::steady_clock::now();
        if (now < next_liveness_check_) {
            return wait_verdict::keep_waiting;
        }
        next_liveness_check_ = now + config_.wait.liveness_interval;
        if (writer_alive(name_, pid, segment_.access())) {
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

frame reader_impl::consume(boost::system::error_code& ec)
{
    protocol::delivered_frame d;
    boost::system::error_code e = ring_.next(d);
    if (e == errc::sequence_error && ring_.expected_sequence() == 1) {
        // A new writer session starts again at sequence 1.
        e = ring_.next(d);
    }
    if (e) {
        ec = e; // nothing consumed: the next read looks at the same place
        return {};
    }
    // Its token is a credit from an earlier wait, or is still to be taken:
    // tokens of frames already read are drained in batches (the semaphore's
    // cache line stays with the writer while we stream), and before we sleep.
    if (--token_balance_ <= -token_drain_batch) {
        drain_tokens();
    }
    writer_seen_.store(true, std::memory_order_relaxed);
    frames_read_.store(frames_read_.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
    bytes_read_.store(bytes_read_.load(std::memory_order_relaxed) + d.size,
                      std::memory_order_relaxed);
    if (d.sequence == 1) {
        writer_sessions_.store(writer_sessions_.load(std::memory_order_relaxed) + 1,
                               std::memory_order_relaxed);
    }
    ++frames_out_;
    return frame(this, d.data, static_cast<std::size_t>(d.size), d.sequence, d.ticket);
}

frame reader_impl::read_frame(std::chrono::nanoseconds timeout, const wait_strategy& strategy,
                              boost::system::error_code& ec)
{
    // What the writer has committed (its free-byte count) is the truth; a
    // sem-w token only wakes us. A writer that died between commit and post
    // leaves a frame without a token, and we deliver it all the same.
    ec = {};
    if (!is_open()) {
        ec = errc::invalid_state;
        return {};
    }
    const protocol::oieb_ref oieb = view_.oieb();
    // A commit changes the free bytes first (it is the commit point): the
    // line a spinning wait polls. Loaded before we look at the ring, so a
    // frame committed after that look changes it.
    const auto free_bytes = [oieb] {
        return oieb.load(protocol::oieb_field::payload_free_bytes, std::memory_order_relaxed);
    };
    // The free bytes can come back to the value we saw (a release by another
    // thread, then a commit of the same size); the written count only grows.
    // Polled with the peer checks, every few dozen polls.
    const auto written = [oieb] {
        return oieb.load(protocol::oieb_field::payload_written_count, std::memory_order_relaxed);
    };
    std::uint64_t seen = free_bytes();
    std::uint64_t seen_written = written();
    std::span<const std::byte> next_header;
    {
        const std::lock_guard lock(mutex_);
        if (ring_.has_unread_bytes()) {
            return consume(ec); // streaming: no clock, no semaphore
        }
        next_header = ring_.next_header_area(2 * prefetch_line_size);
    }
    lazy_deadline deadline(timeout);
    for (;;) {
        boost::system::error_code event;
        const auto outcome = wait_for_token(
            sem_w_, strategy, deadline,
            [&](bool expensive) {
                return written() != seen_written ? wait_verdict::proceed
                                                 : check_writer(expensive, event);
            },
            [&] {
                if (free_bytes() == seen) {
                    return false;
                }
                // The moment a commit shows, ask for the lines of the header
                // (and of a small frame's data) at once: from here to the
                // frame, the lock's fences would make each miss wait for the
                // one before. Not on every poll, which would pull the lines
                // while the writer still fills them.
                prefetch_for_read(next_header);
                return true;
            },
            [&] {
                const std::lock_guard lock(mutex_);
                // Tokens of frames already read would only wake us for
                // nothing. One we take may announce a frame committed after
                // our last look (if we owe more tokens than will come): look
                // once more before sleeping.
                drain_tokens();
                return ring_.has_unread_bytes();
            });
        if (outcome == wait_outcome::timed_out) {
            return {};
        }
        if (outcome == wait_outcome::stopped) {
            ec = event;
            return {};
        }
        {
            const std::lock_guard lock(mutex_);
            if (outcome == wait_outcome::token) {
                ++token_balance_; // matched by the frame it announces, or repays one
            }
            if (ring_.has_unread_bytes()) {
                return consume(ec);
            }
        }
        // Nothing for us (another thread took it, or a release brought the
        // free bytes back). The values to wait on are loaded before the look
        // that found nothing, so a commit after that look changes them; not
        // on the way to a frame above, where the written count's line is the
        // one the writer has just stored to. The timeout runs from here at
        // the latest, however soon each wait is woken.
        deadline.get();
        seen = free_bytes();
        seen_written = written();
        const std::lock_guard lock(mutex_);
        if (ring_.has_unread_bytes()) {
            return consume(ec);
        }
        next_header = ring_.next_header_area(2 * prefetch_line_size); // another read moved it
    }
}

void reader_impl::post_release_tokens(std::uint64_t frames) noexcept
{
    for (std::uint64_t i = 0; i < frames; ++i) {
        boost::system::error_code ec;
        // EOVERFLOW only when the writer has not taken ~2^31 tokens: it then
        // has no use for one more.
        sem_r_.post(ec);
    }
}

void reader_impl::drain_tokens() noexcept
{
    while (token_balance_ < 0 && sem_w_.try_wait()) {
        ++token_balance_;
    }
}

void reader_impl::release(std::uint64_t ticket) noexcept
{
    // Declared first, destroyed last: the detached reader's ownership, ended
    // once the lock is released and nothing of ours is used any more.
    std::shared_ptr<reader_impl> last_owner;
    const std::lock_guard lock(mutex_);
    // The tokens are posted under the lock, before our frame stops counting:
    // once the count reaches 0, another thread may destroy the reader (its
    // owner, or the release of another frame of a detached one), semaphore
    // handles included.
    post_release_tokens(ring_.release_frame(ticket).frames);
    if (--frames_out_ == 0) {
        last_owner = std::move(keep_alive_);
    }
}

void reader_impl::detach(std::shared_ptr<reader_impl> self) noexcept
{
    if (!self) {
        return;
    }
    reader_impl& impl = *self;
    const std::lock_guard lock(impl.mutex_);
    if (impl.frames_out_ != 0) {
        impl.keep_alive_ = std::move(self); // the last release ends it
    }
    // Otherwise `self`, a parameter, ends it once the lock is released.
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

std::uint64_t reader_impl::frames_read() const noexcept
{
    return frames_read_.load(std::memory_order_relaxed);
}

std::uint64_t reader_impl::bytes_read() const noexcept
{
    return bytes_read_.load(std::memory_order_relaxed);
}

buffer_health reader_impl::health() const
{
    return make_health(protocol::take_snapshot(view_.oieb()));
}

} // namespace detail

namespace {
detail::reader_impl& checked(const std::shared_ptr<detail::reader_impl>& impl)
{
    if (!impl) {
        throw_error(errc::invalid_state, "zerobuffer::reader: moved-from object");
    }
    return *impl;
}
} // namespace

reader::reader(std::string_view name, const buffer_config& config)
    : impl_(std::make_shared<detail::reader_impl>(name, config))
{
}

reader::reader(reader&&) noexcept = default;

reader& reader::operator=(reader&& other) noexcept
{
    if (this != &other) {
        detail::reader_impl::detach(std::move(impl_));
        impl_ = std::move(other.impl_);
    }
    return *this;
}

reader::~reader()
{
    detail::reader_impl::detach(std::move(impl_));
}

const std::string& reader::name() const noexcept
{
    static const std::string empty;
    return impl_ ? impl_->name() : empty;
}

std::span<const std::byte> reader::metadata() const
{
    boost::system::error_code ec;
    const auto m = metadata(ec);
    if (ec) {
        throw_error(ec, "zerobuffer::reader::metadata '" + name() + "'");
    }
    return m;
}

std::span<const std::byte> reader::metadata(boost::system::error_code& ec) const
{
    return checked(impl_).metadata(ec);
}

frame reader::read_frame(std::chrono::nanoseconds timeout)
{
    boost::system::error_code ec;
    frame f = read_frame(timeout, ec);
    if (ec) {
        throw_error(ec, "zerobuffer::reader::read_frame '" + name() + "'");
    }
    return f;
}

frame reader::read_frame(std::chrono::nanoseconds timeout, boost::system::error_code& ec)
{
    auto& impl = checked(impl_);
    return impl.read_frame(timeout, impl.config().wait, ec);
}

frame reader::try_read_frame(boost::system::error_code& ec)
{
    return checked(impl_).read_frame(std::chrono::nanoseconds::zero(), wait_strategy::blocking(),
                                     ec);
}

void reader::release_frame(frame& f) noexcept
{
    f.release();
}

bool reader::is_writer_connected() const
{
    return impl_ && impl_->is_writer_connected();
}

void reader::close() noexcept
{
    if (impl_) {
        impl_->close();
    }
}

bool reader::is_open() const noexcept
{
    return impl_ && impl_->is_open();
}

std::uint64_t reader::frames_read() const noexcept
{
    return impl_ ? impl_->frames_read() : 0;
}

std::uint64_t reader::writer_sessions() const noexcept
{
    return impl_ ? impl_->writer_sessions() : 0;
}

std::uint64_t reader::bytes_read() const noexcept
{
    return impl_ ? impl_->bytes_read() : 0;
}

std::uint64_t reader::metadata_size() const noexcept
{
    return impl_ ? impl_->layout().metadata_size : 0;
}

std::uint64_t reader::payload_size() const noexcept
{
    return impl_ ? impl_->layout().payload_size : 0;
}

buffer_health reader::health() const
{
    return checked(impl_).health();
}

} // namespace zerobuffer
