// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

// The writer's frames: reserving, copying, committing, waiting for space.

#include "writer_impl.hpp"
#include "writer_space_wait.hpp"

#include <zerobuffer/detail/liveness.hpp>
#include <zerobuffer/detail/process.hpp>
#include <zerobuffer/detail/stream_copy.hpp>
#include <zerobuffer/protocol/metadata.hpp>

#include <cstring>
#include <thread>

namespace zerobuffer::detail {

namespace {
constexpr auto acquire = std::memory_order_acquire;
using clock = std::chrono::steady_clock;
} // namespace

writer_impl::writer_impl(std::string_view name, const writer_options& options)
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

void writer_impl::set_metadata(std::span<const std::byte> content, boost::system::error_code& ec)
{
    const std::lock_guard lock(mutex_);
    if (!is_open()) {
        ec = errc::invalid_state;
        return;
    }
    ec = protocol::write_metadata(view_.oieb(), view_.metadata_block(), content);
}

void writer_impl::wake_all_sleepers() noexcept
{
    wake_tokens_.fetch_add(sleepers_.wake_all(sem_r_), std::memory_order_relaxed);
}

void writer_impl::wake_sleeper(const wait_interrupt& interrupt, int rounds) noexcept
{
    wake_tokens_.fetch_add(sleepers_.wake(interrupt, sem_r_, rounds), std::memory_order_relaxed);
}

std::span<std::byte> writer_impl::reserve(std::unique_lock<std::mutex>& lock, std::size_t size,
                                          const std::stop_token* stop,
                                          boost::system::error_code& ec)
{
    ec = {};
    if (!is_open()) {
        ec = errc::invalid_state;
        return {};
    }
    std::span<std::byte> data;
    ec = ring_.try_reserve(size, data);
    if (ec != errc::buffer_full) {
        return data;
    }
    if (stop == nullptr) {
        // A try: no room is an answer, not an error, unless there will never
        // be any (a liveness look at most once per interval).
        ec = reader_gone_for_try() ? make_error_code(errc::reader_dead)
                                   : boost::system::error_code{};
        return {};
    }
    return wait_for_room(lock, size, *stop, ec);
}

std::span<std::byte> writer_impl::wait_for_room(std::unique_lock<std::mutex>& lock,
                                                std::size_t size, const std::stop_token& stop,
                                                boost::system::error_code& ec)
{
    ec = {};
    wait_interrupt interrupt(closing_);
    space_wait wait(*this, interrupt, size);
    lazy_deadline deadline(timeout_.load());
    // Registered with the lock released: the callback may run at once.
    lock.unlock();
    const stop_hook hook(stop, [this, &interrupt] {
        interrupt.request();
        wake_sleeper(interrupt);
    });
    lock.lock();
    wait.aim();
    std::span<std::byte> data;
    for (;;) {
        lock.unlock();
        wait_machine machine(options_.wait, deadline);
        const auto outcome = drive_wait(machine, wait);
        lock.lock();
        if (wait.finish(outcome, data, ec)) {
            return data;
        }
    }
}

void writer_impl::commit(boost::system::error_code& ec)
{
    ec = {};
    if (!is_open() || !ring_.has_reservation()) {
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

void writer_impl::copy_and_commit(std::span<std::byte> area, std::span<const std::byte> data,
                                  boost::system::error_code& ec)
{
    if (data.size() >= stream_from_) {
        stream_copy(area.data(), data.data(), data.size());
    } else {
        std::memcpy(area.data(), data.data(), data.size());
    }
    pending_size_ = data.size();
    commit(ec);
}

void writer_impl::write(std::span<const std::byte> data, const std::stop_token& stop,
                        boost::system::error_code& ec)
{
    std::unique_lock lock(mutex_);
    if (ring_.has_reservation()) {
        ec = errc::invalid_state;
        return;
    }
    const std::span<std::byte> area = reserve(lock, data.size(), &stop, ec);
    if (!ec) {
        copy_and_commit(area, data, ec);
    }
}

bool writer_impl::reader_gone_for_try() noexcept
{
    const auto now = clock::now();
    if (now < next_try_liveness_check_) {
        return false;
    }
    next_try_liveness_check_ = time_after(now, options_.wait.liveness_interval);
    return !reader_alive();
}

bool writer_impl::try_write(std::span<const std::byte> data, boost::system::error_code& ec)
{
    ec = {};
    std::unique_lock lock(mutex_);
    if (ring_.has_reservation()) {
        ec = errc::invalid_state;
        return false;
    }
    const std::span<std::byte> area = reserve(lock, data.size(), nullptr, ec);
    if (ec || area.empty()) {
        return false;
    }
    copy_and_commit(area, data, ec);
    return !ec;
}

std::span<std::byte> writer_impl::get_frame_buffer(std::size_t size, const std::stop_token& stop,
                                                   boost::system::error_code& ec)
{
    std::unique_lock lock(mutex_);
    if (ring_.has_reservation()) {
        ec = errc::invalid_state;
        return {};
    }
    auto area = reserve(lock, size, &stop, ec);
    if (!ec) {
        pending_size_ = size; // a failed wait leaves another thread's reservation alone
    }
    return area;
}

std::span<std::byte> writer_impl::try_get_frame_buffer(std::size_t size,
                                                       boost::system::error_code& ec)
{
    ec = {};
    std::unique_lock lock(mutex_);
    if (ring_.has_reservation()) {
        ec = errc::invalid_state;
        return {};
    }
    auto area = reserve(lock, size, nullptr, ec);
    pending_size_ = area.size();
    return area;
}

void writer_impl::commit_frame(boost::system::error_code& ec)
{
    const std::lock_guard lock(mutex_);
    commit(ec);
}

void writer_impl::abandon_frame() noexcept
{
    const std::lock_guard lock(mutex_);
    ring_.abandon();
    pending_size_ = 0;
}

void writer_impl::close() noexcept
{
    // Writes waiting on another thread end with operation_aborted: spinning
    // ones at their next peer check, sleeping ones woken by a token.
    closing_.store(true, std::memory_order_seq_cst);
    wake_all_sleepers();
    const std::lock_guard lock(mutex_);
    if (!is_open()) {
        return;
    }
    open_.store(false, std::memory_order_release);
    ring_.abandon();
    std::uint64_t expected = pid_;
    view_.oieb().compare_exchange(protocol::oieb_field::writer_pid, expected, 0,
                                  std::memory_order_acq_rel);
    writer_lock_.remove_and_release();
}

void writer_impl::take_back_wake_tokens() noexcept
{
    if (wake_tokens_.load(std::memory_order_relaxed) != 0) { // rare: no locked exchange
        release_tokens_ += wake_tokens_.exchange(0, std::memory_order_relaxed);
    }
}

void writer_impl::count_taken_token() noexcept
{
    take_back_wake_tokens();
    release_tokens_ -= release_tokens_ != 0 ? 1 : 0;
}

void writer_impl::drain_release_tokens() noexcept
{
    take_back_wake_tokens();
    release_tokens_ -= sem_r_.try_take(release_tokens_); // one transfer of the line
}

bool writer_impl::reader_alive() const noexcept
{
    return segment_.is_linked() &&
           detail::reader_alive(name_,
                                view_.oieb().load(protocol::oieb_field::reader_pid, acquire));
}

int writer_impl::reader_watch_fd()
{
    const std::lock_guard lock(reader_watch_mutex_);
    // An event since the last look, or a liveness interval ago at most,
    // makes this sleep a slice: a dying reader's lock file is closed before
    // the kernel releases its lock, so the look right after may find it held.
    reader_watch_.drain();
    if (std::chrono::steady_clock::now() <
        time_after(reader_watch_.last_event(), options_.wait.liveness_interval)) {
        return -1;
    }
    // The reader holds its lock file for its life: its death closes it (an
    // event), its clean close unlinks it (another). A watch made now saw
    // nothing of what happened since the last look: a slice first.
    return reader_watch_.watch(names_.lock_file, watched_kind::lock_file) ==
                   file_watch::result::kept
               ? reader_watch_.fd()
               : -1;
}

void writer_impl::take_reader_events()
{
    const std::lock_guard lock(reader_watch_mutex_);
    reader_watch_.drain();
}

bool writer_impl::has_space(std::uint64_t needed) const noexcept
{
    return view_.oieb().load(protocol::oieb_field::payload_free_bytes, acquire) >= needed;
}

} // namespace zerobuffer::detail
