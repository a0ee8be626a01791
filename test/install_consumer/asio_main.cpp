// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.
//
// Built against the installed tree: a coroutine reader (co_spawn +
// use_awaitable) reads what a writer on the same io_context writes.

#include <zerobuffer/asio.hpp>
#include <zerobuffer/testing/buffer_naming_service.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <cstring>
#include <iostream>
#include <string>

namespace net = boost::asio;

int main()
{
    net::io_context ctx;
    const std::string name =
        zerobuffer::testing::buffer_naming_service().get_buffer_name("consumer_asio");
    zerobuffer::asio::reader reader(ctx, name);
    zerobuffer::asio::writer writer(ctx, name);
    std::string got;
    net::co_spawn(
        ctx,
        [&]() -> net::awaitable<void> {
            const std::string text = "from a coroutine";
            co_await writer.async_write_frame(std::as_bytes(std::span(text)), net::use_awaitable);
            zerobuffer::frame f = co_await reader.async_read_frame(net::use_awaitable);
            got.assign(reinterpret_cast<const char*>(f.data()), f.size());
        },
        net::detached);
    ctx.run();
    if (got != "from a coroutine") {
        std::cerr << "asio consumer read \"" << got << "\"\n";
        return 1;
    }
    std::cout << "asio consumer ok\n";
    return 0;
}
