// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

// The public front of duplex::server (server_impl.cpp does the work).

#include "server_impl.hpp"

#include <zerobuffer/duplex/server.hpp>

namespace zerobuffer::duplex {

server::server(std::string_view name, const server_options& options)
    : impl_(std::make_unique<detail::server_impl>(std::string(name), options))
{
}

server::server(server&&) noexcept = default;
server& server::operator=(server&&) noexcept = default;
server::~server() = default;

void server::start_erased(erased_handler handler, erased_deferred_handler deferred,
                          const processing& strategy)
{
    impl_->start(std::move(handler), std::move(deferred), strategy);
}

void server::stop() noexcept
{
    if (impl_) {
        impl_->stop();
    }
}

bool server::is_running() const noexcept
{
    return impl_ && impl_->is_running();
}

bool server::is_client_connected() const
{
    return impl_ && impl_->is_client_connected();
}

server_counters server::counters() const noexcept
{
    return impl_ ? impl_->counters() : server_counters{};
}

const std::string& server::name() const noexcept
{
    static const std::string none;
    return impl_ ? impl_->name() : none;
}

} // namespace zerobuffer::duplex
