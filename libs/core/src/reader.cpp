// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

// The public `reader`: a thin, checked front of reader_impl.

#include "reader_impl.hpp"

#include <zerobuffer/reader.hpp>

namespace zerobuffer {

namespace {

// A token that is never stopped, made once: the calls without a stop token
// pass it on without building one each time.
const std::stop_token no_stop;

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
    return read_frame(timeout, no_stop);
}

frame reader::read_frame(std::chrono::nanoseconds timeout, boost::system::error_code& ec)
{
    auto& impl = checked(impl_);
    return impl.read_frame(timeout, impl.config().wait, no_stop, ec);
}

frame reader::read_frame(std::chrono::nanoseconds timeout, const std::stop_token& stop)
{
    boost::system::error_code ec;
    frame f = read_frame(timeout, stop, ec);
    if (ec) {
        throw_error(ec, "zerobuffer::reader::read_frame '" + name() + "'");
    }
    return f;
}

frame reader::read_frame(std::chrono::nanoseconds timeout, const std::stop_token& stop,
                         boost::system::error_code& ec)
{
    auto& impl = checked(impl_);
    return impl.read_frame(timeout, impl.config().wait, stop, ec);
}

frame reader::try_read_frame()
{
    boost::system::error_code ec;
    frame f = try_read_frame(ec);
    if (ec) {
        throw_error(ec, "zerobuffer::reader::try_read_frame '" + name() + "'");
    }
    return f;
}

frame reader::try_read_frame(boost::system::error_code& ec)
{
    return checked(impl_).read_frame(std::chrono::nanoseconds::zero(), wait_strategy::blocking(),
                                     no_stop, ec);
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
