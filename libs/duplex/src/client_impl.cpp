// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

#include "client_impl.hpp"

#include <zerobuffer/duplex/channel.hpp>
#include <zerobuffer/duplex/error_response.hpp>
#include <zerobuffer/error.hpp>

#include <algorithm>
#include <thread>
#include <utility>

namespace zerobuffer::duplex::detail {

namespace {

/// The request writer's errors, as the client's: its reader is the server.
boost::system::error_code as_server_error(const boost::system::error_code& ec)
{
    return ec == errc::reader_dead ? make_error_code(errc::server_dead) : ec;
}

} // namespace

client_impl::client_impl(std::string name, const client_options& options)
    : name_(std::move(name)), liveness_interval_(options.response.wait.liveness_interval),
      responses_(response_buffer_name(name_), options.response),
      requests_(request_buffer_name(name_), options.request),
      zero_copy_send_(send_mutex_, std::defer_lock)
{
}

std::uint64_t client_impl::send(std::span<const std::byte> data, boost::system::error_code& ec)
{
    const std::lock_guard lock(send_mutex_);
    requests_.write_frame(data, ec);
    if (ec) {
        ec = as_server_error(ec);
        return 0;
    }
    return sent_.fetch_add(1, std::memory_order_relaxed) + 1;
}

std::uint64_t client_impl::try_send(std::span<const std::byte> data, boost::system::error_code& ec)
{
    const std::lock_guard lock(send_mutex_);
    if (!requests_.try_write_frame(data, ec)) {
        ec = as_server_error(ec);
        return 0;
    }
    return sent_.fetch_add(1, std::memory_order_relaxed) + 1;
}

std::span<std::byte> client_impl::get_request_buffer(std::size_t size,
                                                     boost::system::error_code& ec)
{
    if (holds_zero_copy()) {
        ec = errc::invalid_state; // this thread reserved one already
        return {};
    }
    std::unique_lock lock(send_mutex_);
    auto area = requests_.get_frame_buffer(size, ec);
    if (ec) {
        ec = as_server_error(ec);
        return {};
    }
    const std::lock_guard owner(zero_copy_mutex_);
    zero_copy_send_ = std::move(lock); // until commit_request, on this thread
    zero_copy_owner_ = std::this_thread::get_id();
    return area;
}

bool client_impl::holds_zero_copy() const
{
    const std::lock_guard owner(zero_copy_mutex_);
    return zero_copy_owner_ == std::this_thread::get_id();
}

std::unique_lock<std::mutex> client_impl::take_zero_copy_lock()
{
    const std::lock_guard owner(zero_copy_mutex_);
    if (zero_copy_owner_ != std::this_thread::get_id()) {
        return {};
    }
    zero_copy_owner_ = {};
    return std::move(zero_copy_send_);
}

std::uint64_t client_impl::commit_request(boost::system::error_code& ec)
{
    const std::unique_lock lock = take_zero_copy_lock();
    if (!lock.owns_lock()) {
        ec = errc::invalid_state; // nothing reserved by this thread
        return 0;
    }
    requests_.commit_frame(ec);
    if (ec) {
        ec = as_server_error(ec);
        return 0;
    }
    return sent_.fetch_add(1, std::memory_order_relaxed) + 1;
}

void client_impl::abandon_request() noexcept
{
    const std::unique_lock lock = take_zero_copy_lock();
    if (lock.owns_lock()) {
        requests_.abandon_frame();
    }
}

frame client_impl::read_response(clock::time_point deadline, boost::system::error_code& ec)
{
    for (bool first = true;; first = false) {
        const auto now = clock::now();
        if (!first && now >= deadline) {
            ec = {};
            return {};
        }
        // The first look happens whatever the deadline: a zero timeout
        // still gets a response that is there.
        const auto slice = std::clamp<std::chrono::nanoseconds>(
            deadline - now, std::chrono::nanoseconds::zero(), liveness_interval_);
        frame f = responses_.read_frame(slice, ec);
        if (ec == errc::writer_dead) {
            ec = errc::server_dead;
        } else if (ec == errc::writer_disconnected) {
            ec = errc::server_stopped;
        }
        if (ec || f) {
            return f;
        }
        // No response yet: before the server attached its response writer,
        // only the request buffer's reader tells whether it lives.
        if (!requests_.is_reader_connected()) {
            ec = requests_.is_open() ? make_error_code(errc::server_dead)
                                     : make_error_code(errc::invalid_state);
            return {};
        }
    }
}

frame client_impl::receive(std::chrono::nanoseconds timeout, boost::system::error_code& ec)
{
    frame f = read_response(clock::now() + timeout, ec);
    if (f && is_error_response(f.bytes())) {
        ec = errc::handler_failed;
    }
    return f;
}

frame client_impl::take_arrived(std::uint64_t sequence)
{
    const auto it = arrived_.find(sequence);
    if (it == arrived_.end()) {
        return {};
    }
    frame f = std::move(it->second);
    arrived_.erase(it);
    return f;
}

frame client_impl::await_response(std::uint64_t sequence, clock::time_point deadline,
                                  boost::system::error_code& ec)
{
    ec = {};
    std::unique_lock lock(match_mutex_);
    for (;;) {
        if (frame mine = take_arrived(sequence)) {
            return mine;
        }
        if (failure_) {
            ec = failure_;
            return {};
        }
        if (clock::now() >= deadline) {
            abandoned_.insert(sequence); // its response is released when it comes
            ec = errc::timed_out;
            return {};
        }
        if (receiving_) {
            match_changed_.wait_until(lock, deadline);
            continue;
        }
        // Nobody reads: this thread reads for everyone until its own comes.
        receiving_ = true;
        lock.unlock();
        boost::system::error_code read_ec;
        frame f = read_response(deadline, read_ec);
        lock.lock();
        receiving_ = false;
        match_changed_.notify_all(); // another waiter may read now, or find its own
        if (read_ec) {
            failure_ = read_ec;
            continue;
        }
        if (!f) {
            continue; // our deadline passed
        }
        if (f.sequence() == sequence) {
            return f;
        }
        if (abandoned_.erase(f.sequence()) == 0) {
            arrived_.emplace(f.sequence(), std::move(f));
        }
    }
}

frame client_impl::request(std::span<const std::byte> data, std::chrono::nanoseconds timeout,
                           boost::system::error_code& ec)
{
    ec = {};
    const auto deadline = clock::now() + timeout;
    const std::uint64_t sequence = send(data, ec);
    if (ec) {
        return {};
    }
    frame f = await_response(sequence, deadline, ec);
    if (f && is_error_response(f.bytes())) {
        ec = errc::handler_failed;
    }
    return f;
}

void client_impl::close() noexcept
{
    requests_.close();
    responses_.close();
    const std::lock_guard lock(match_mutex_);
    arrived_.clear();
    if (!failure_) {
        failure_ = operation_aborted_code();
    }
    match_changed_.notify_all();
}

} // namespace zerobuffer::duplex::detail
