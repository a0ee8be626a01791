// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

#include "response_channel.hpp"

#include <zerobuffer/duplex/error_response.hpp>
#include <zerobuffer/error.hpp>

#include <utility>

namespace zerobuffer::duplex::detail {

response_channel::response_channel(std::string buffer_name, const server_options& options,
                                   const std::atomic<bool>& stopping, server_stats& stats)
    : buffer_name_(std::move(buffer_name)), writer_options_(options.response),
      attach_timeout_(options.attach_timeout), stopping_(stopping), stats_(stats)
{
    writer_options_.connect_timeout = attach_timeout_;
}

bool response_channel::attach() noexcept
{
    try {
        writer fresh(buffer_name_, writer_options_);
        const std::lock_guard lock(observer_mutex_);
        writer_.emplace(std::move(fresh));
        server_stats::bump(stats_.clients_served);
        return true;
    } catch (const std::exception&) {
        broken_.store(true, std::memory_order_release);
        return false;
    }
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
    broken_.store(true, std::memory_order_release);
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

boost::system::error_code response_channel::write_error(std::string_view text)
{
    boost::system::error_code ec;
    try {
        ec = write(make_error_response(text));
    } catch (const std::bad_alloc&) {
        ec = errc::frame_too_large; // answer with the marker alone
    }
    if (ec == errc::frame_too_large) {
        ec = write(std::as_bytes(std::span(error_response_magic)));
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
