// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

// The public `writer`: a thin, checked front of writer_impl.

#include "writer_impl.hpp"

#include <zerobuffer/writer.hpp>

#include <memory>
#include <string>

namespace zerobuffer {

namespace {

// A token that is never stopped, made once: the calls without a stop token
// pass it on without building one each time.
const std::stop_token no_stop;

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

detail::writer_impl& writer::checked_impl() const
{
    return checked(impl_);
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
    checked(impl_).write(data, no_stop, ec);
    throw_if(ec, "write_frame", name());
}

void writer::write_frame(std::span<const std::byte> data, boost::system::error_code& ec)
{
    checked(impl_).write(data, no_stop, ec);
}

void writer::write_frame(std::span<const std::byte> data, const std::stop_token& stop)
{
    boost::system::error_code ec;
    write_frame(data, stop, ec);
    throw_if(ec, "write_frame", name());
}

void writer::write_frame(std::span<const std::byte> data, const std::stop_token& stop,
                         boost::system::error_code& ec)
{
    checked(impl_).write(data, stop, ec);
}

bool writer::try_write_frame(std::span<const std::byte> data)
{
    boost::system::error_code ec;
    const bool written = try_write_frame(data, ec);
    throw_if(ec, "try_write_frame", name());
    return written;
}

bool writer::try_write_frame(std::span<const std::byte> data, boost::system::error_code& ec)
{
    return checked(impl_).try_write(data, ec);
}

std::span<std::byte> writer::get_frame_buffer(std::size_t size)
{
    return get_frame_buffer(size, no_stop);
}

std::span<std::byte> writer::get_frame_buffer(std::size_t size, boost::system::error_code& ec)
{
    return get_frame_buffer(size, no_stop, ec);
}

std::span<std::byte> writer::get_frame_buffer(std::size_t size, const std::stop_token& stop)
{
    boost::system::error_code ec;
    auto area = get_frame_buffer(size, stop, ec);
    throw_if(ec, "get_frame_buffer", name());
    return area;
}

std::span<std::byte> writer::get_frame_buffer(std::size_t size, const std::stop_token& stop,
                                              boost::system::error_code& ec)
{
    return checked(impl_).get_frame_buffer(size, stop, ec);
}

std::span<std::byte> writer::try_get_frame_buffer(std::size_t size)
{
    boost::system::error_code ec;
    auto area = try_get_frame_buffer(size, ec);
    throw_if(ec, "try_get_frame_buffer", name());
    return area;
}

std::span<std::byte> writer::try_get_frame_buffer(std::size_t size, boost::system::error_code& ec)
{
    return checked(impl_).try_get_frame_buffer(size, ec);
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

void writer::abandon_frame() noexcept
{
    if (impl_) {
        impl_->abandon_frame();
    }
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
