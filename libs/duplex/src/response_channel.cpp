// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

#include "response_channel.hpp"

#include <zerobuffer/duplex/error_response.hpp>
#include <zerobuffer/error.hpp>

#include <algorithm>
#include <utility>

namespace zerobuffer::duplex::detail {

response_channel::response_channel(std::string buffer_name, const server_options& options,
                                   const std::atomic<bool>& stopping, server_stats& stats)
    : buffer_name_(std::move(buffer_name)), writer_options_(options.response),
      attach_timeout_(options.attach_timeout), stopping_(stopping), stats_(stats)
{
    writer_options_.connect_timeout = attach_timeout_;
}

bool response_channel::attach(const std::stop_token& stop) noexcept
{
    // In slices, so that a stop does not wait out the whole attach timeout.
    constexpr auto slice = std::chrono::milliseconds(100);
    const auto deadline = std::chrono::steady_clock::now() + attach_timeout_;
    writer_options options = writer_options_;
    for (;;) {
        const auto left = deadline - std::chrono::steady_clock::now();
        options.connect_timeout = std::max<std::chrono::nanoseconds>(
            std::min<std::chrono::nanoseconds>(left, slice), std::chrono::nanoseconds::zero());
        try {
            writer fresh(buffer_name_, options);
            const std::lock_guard lock(observer_mutex_);
            writer_.emplace(std::move(fresh));
            // The ring holds twice the largest frame that always fits, and
            // two headers (protocol::largest_frame_always_fits).
            ring_size_ = 2 * (writer_->max_frame_size() + 16);
            server_stats::bump(stats_.clients_served);
            return true;
        } catch (const no_reader&) {
            if (left <= std::chrono::nanoseconds::zero() || stop.stop_requested()) {
                break;
            }
        } catch (const std::exception&) {
            break;
        }
    }
    broken_.store(true, std::memory_order_release);
    return false;
}

bool response_channel::never_fits(std::size_t size) const noexcept
{
    return ring_size_ != 0 && std::uint64_t{size} + 16 > ring_size_;
}

void response_channel::drop_client() noexcept
{
    broken_.store(true, std::memory_order_release);
    close();
}

bool response_channel::client_alive() const
{
    const std::lock_guard lock(observer_mutex_);
    return writer_ && !broken() && writer_->is_reader_connected();
}

bool response_channel::wait_again(bool& waited_while_stopping) const noexcept
{
    if (!stopping_.load(std::memory_order_acquire)) {
        return true;
    }
    // Stopping: finish what is in flight, but not for ever.
    if (waited_while_stopping) {
        return false;
    }
    waited_while_stopping = true;
    return true;
}

boost::system::error_code response_channel::give_up() noexcept
{
    drop_client();
    count_dropped();
    return errc::client_gone;
}

void response_channel::count_committed(std::span<const std::byte> data) noexcept
{
    server_stats::bump(is_error_response(data) ? stats_.handler_errors : stats_.requests_handled);
}

boost::system::error_code response_channel::write(std::span<const std::byte> data)
{
    if (!writer_ || broken()) {
        count_dropped();
        return errc::client_gone;
    }
    bool waited_while_stopping = false;
    for (;;) {
        boost::system::error_code ec;
        writer_->write_frame(data, ec);
        if (!ec) {
            count_committed(data);
            return {};
        }
        if (ec == errc::frame_too_large || ec == errc::invalid_frame_size) {
            return ec;
        }
        if (ec == errc::buffer_full && wait_again(waited_while_stopping)) {
            continue;
        }
        return give_up();
    }
}

boost::system::error_code response_channel::write_error(std::string_view text) noexcept
{
    boost::system::error_code ec = errc::frame_too_large;
    try {
        ec = write(make_error_response(text));
    } catch (const std::bad_alloc&) {
        // No memory for the text: the marker alone still answers.
    }
    if (ec == errc::frame_too_large) {
        ec = write(std::as_bytes(std::span(error_response_magic)));
    }
    if (ec == errc::frame_too_large) {
        // Not even the marker fits this ring (under 32 bytes): nothing can
        // answer in step any more.
        ec = give_up();
    }
    return ec;
}

std::span<std::byte> response_channel::reserve(std::size_t size, boost::system::error_code& ec)
{
    if (!writer_ || broken()) {
        count_dropped();
        ec = errc::client_gone;
        return {};
    }
    bool waited_while_stopping = false;
    for (;;) {
        auto area = writer_->get_frame_buffer(size, ec);
        if (!ec) {
            return area;
        }
        if (ec == errc::frame_too_large || ec == errc::invalid_frame_size) {
            return {};
        }
        if (ec == errc::buffer_full && wait_again(waited_while_stopping)) {
            continue;
        }
        ec = give_up();
        return {};
    }
}

boost::system::error_code response_channel::commit()
{
    boost::system::error_code ec;
    if (writer_) {
        writer_->commit_frame(ec);
    }
    if (!writer_ || ec) {
        return give_up();
    }
    server_stats::bump(stats_.requests_handled);
    return {};
}

void response_channel::abandon() noexcept
{
    if (writer_) {
        writer_->abandon_frame();
    }
}

void response_channel::close() noexcept
{
    const std::lock_guard lock(observer_mutex_);
    writer_.reset();
}

} // namespace zerobuffer::duplex::detail
