// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

// The writer's frames: reserving, copying, committing, waiting for space.

#include "writer_impl.hpp"

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
    if (!open_) {
        ec = errc::invalid_state;
        return;
    }
    ec = protocol::write_metadata(view_.oieb(), view_.metadata_block(), content);
}

std::span<std::byte> writer_impl::reserve(std::size_t size, boost::system::error_code& ec)
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
    lazy_deadline deadline(timeout_);
    protocol::write_placement placement;
    protocol::place_frame(view_.layout.payload_size, ring_.write_pos(), size, placement);
    for (;;) {
        boost::system::error_code event;
        const auto outcome = wait_for_token(
            sem_r_, options_.wait, deadline,
            [&](bool expensive) { return check_space(expensive, placement.space_needed, event); },
            // A full ring: the reader's core is busy releasing, and each look
            // at the free bytes takes their cache line from it, slowing the
            // very releases we wait for. Look every 32 pauses (well under a
            // microsecond; the ringful of frames ahead of us takes longer).
            [&, polls = 0U]() mutable {
                return (++polls & 31U) == 0 && has_space(placement.space_needed);
            },
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

void writer_impl::commit(boost::system::error_code& ec)
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

void writer_impl::write(std::span<const std::byte> data, boost::system::error_code& ec)
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

std::span<std::byte> writer_impl::get_frame_buffer(std::size_t size, boost::system::error_code& ec)
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

void writer_impl::commit_frame(boost::system::error_code& ec)
{
    const std::lock_guard lock(mutex_);
    commit(ec);
}

void writer_impl::close() noexcept
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

void writer_impl::drain_release_tokens() noexcept
{
    while (release_tokens_ != 0 && sem_r_.try_wait()) {
        --release_tokens_;
    }
}

bool writer_impl::reader_alive() const noexcept
{
    return segment_.is_linked() &&
           detail::reader_alive(name_,
                                view_.oieb().load(protocol::oieb_field::reader_pid, acquire));
}

bool writer_impl::has_space(std::uint64_t needed) const noexcept
{
    return view_.oieb().load(protocol::oieb_field::payload_free_bytes, acquire) >= needed;
}

wait_verdict writer_impl::check_space(bool expensive, std::uint64_t needed,
                                      boost::system::error_code& event)
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

} // namespace zerobuffer::detail
