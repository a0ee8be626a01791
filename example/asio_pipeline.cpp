// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.
//
// A coroutine reader and a callback writer on one io_context thread: the
// reader awaits each frame, the writer writes the next one when the last is
// committed. Neither blocks the thread; both wait for each other on it.

#include <zerobuffer/asio.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <functional>
#include <iostream>
#include <string>

namespace net = boost::asio;

int main()
{
    net::io_context ctx;
    zerobuffer::asio::reader reader(ctx, "quickstart_asio");
    zerobuffer::asio::writer writer(ctx, "quickstart_asio");

    net::co_spawn(
        ctx,
        [&]() -> net::awaitable<void> {
            for (int i = 0; i < 3; ++i) {
                zerobuffer::frame f = co_await reader.async_read_frame(net::use_awaitable);
                std::cout << "frame " << f.sequence() << ": "
                          << std::string(reinterpret_cast<const char*>(f.data()), f.size()) << "\n";
            }
        },
        net::detached);

    std::string text;
    int sent = 0;
    std::function<void()> write_next = [&] {
        text = "hello #" + std::to_string(++sent);
        writer.async_write_frame(std::as_bytes(std::span(text)), [&](boost::system::error_code ec) {
            if (ec)
                std::cerr << "write failed: " << ec.message() << "\n";
            else if (sent < 3)
                write_next();
        });
    };
    write_next();

    ctx.run();
}
