// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

// The public front of duplex::client (client_impl.cpp does the work).

#include "client_impl.hpp"

#include <zerobuffer/duplex/client.hpp>
#include <zerobuffer/duplex/error_response.hpp>

#include <string>

namespace zerobuffer::duplex {

namespace {

detail::client_impl& checked(const std::unique_ptr<detail::client_impl>& impl)
{
    if (!impl) {
        throw_error(errc::invalid_state, "duplex::client: moved from");
    }
    return *impl;
}

void throw_if(const boost::system::error_code& ec, const char* what, const std::string& name)
{
    if (ec) {
        throw_error(ec, std::string("duplex::client::") + what + " (" + name + ")");
    }
}

void throw_if_failed(const boost::system::error_code& ec, const frame& f, const char* what,
                     const std::string& name)
{
    if (ec == errc::handler_failed) {
        throw_error(ec, std::string("duplex::client::") + what + " (" + name + "): request " +
                            std::to_string(f.sequence()) + ": " +
                            std::string(error_response_text(f)));
    }
    throw_if(ec, what, name);
}

} // namespace

client::client(std::string_view name, const client_options& options)
    : impl_(std::make_unique<detail::client_impl>(std::string(name), options))
{
}

client::client(client&&) noexcept = default;
client& client::operator=(client&&) noexcept = default;
client::~client() = default;

std::uint64_t client::send_request(std::span<const std::byte> data)
{
    boost::system::error_code ec;
    const auto sequence = send_request(data, ec);
    throw_if(ec, "send_request", name());
    return sequence;
}

std::uint64_t client::send_request(std::span<const std::byte> data, boost::system::error_code& ec)
{
    return checked(impl_).send(data, ec);
}

std::uint64_t client::try_send_request(std::span<const std::byte> data)
{
    boost::system::error_code ec;
    const auto sequence = try_send_request(data, ec);
    throw_if(ec, "try_send_request", name());
    return sequence;
}

std::uint64_t client::try_send_request(std::span<const std::byte> data,
                                       boost::system::error_code& ec)
{
    return checked(impl_).try_send(data, ec);
}

std::span<std::byte> client::get_request_buffer(std::size_t size)
{
    boost::system::error_code ec;
    const auto area = get_request_buffer(size, ec);
    throw_if(ec, "get_request_buffer", name());
    return area;
}

std::span<std::byte> client::get_request_buffer(std::size_t size, boost::system::error_code& ec)
{
    return checked(impl_).get_request_buffer(size, ec);
}

std::uint64_t client::commit_request()
{
    boost::system::error_code ec;
    const auto sequence = commit_request(ec);
    throw_if(ec, "commit_request", name());
    return sequence;
}

std::uint64_t client::commit_request(boost::system::error_code& ec)
{
    return checked(impl_).commit_request(ec);
}

void client::abandon_request() noexcept
{
    if (impl_) {
        impl_->abandon_request();
    }
}

frame client::receive_response(std::chrono::nanoseconds timeout)
{
    boost::system::error_code ec;
    frame f = receive_response(timeout, ec);
    throw_if_failed(ec, f, "receive_response", name());
    return f;
}

frame client::receive_response(std::chrono::nanoseconds timeout, boost::system::error_code& ec)
{
    return checked(impl_).receive(timeout, ec);
}

frame client::request(std::span<const std::byte> data, std::chrono::nanoseconds timeout)
{
    boost::system::error_code ec;
    frame f = request(data, timeout, ec);
    throw_if_failed(ec, f, "request", name());
    return f;
}

frame client::request(std::span<const std::byte> data, std::chrono::nanoseconds timeout,
                      boost::system::error_code& ec)
{
    return checked(impl_).request(data, timeout, ec);
}

bool client::is_server_connected() const
{
    return impl_ && impl_->server_connected();
}

void client::close() noexcept
{
    if (impl_) {
        impl_->close();
    }
}

bool client::is_open() const noexcept
{
    return impl_ && impl_->is_open();
}

const std::string& client::name() const noexcept
{
    static const std::string none;
    return impl_ ? impl_->name() : none;
}

std::uint64_t client::requests_sent() const noexcept
{
    return impl_ ? impl_->requests_sent() : 0;
}

} // namespace zerobuffer::duplex
