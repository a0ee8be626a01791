// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

// Frames to a TCP client, on one io_context: creates the buffer NAME (first
// argument, default "quickstart_forward"), listens on 127.0.0.1 (an ephemeral
// port, printed), accepts one client and sends it every frame a writer
// commits, as a 4-byte little-endian length and the bytes, until the writer
// leaves or COUNT frames (second argument; 0: no limit) went out.
//
// Backpressure: the next frame is read only when the socket took the
// previous one. Meanwhile frames wait in the ring, and a writer that fills it
// waits too. Each frame goes from the ring to the socket with no copy: it is
// released once written.

#include <zerobuffer/asio.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/buffer.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include <array>
#include <cstdint>
#include <cstdlib>
#include <iostream>
#include <string>

namespace asio = boost::asio;
using asio::ip::tcp;

static asio::awaitable<void> forward(zerobuffer::asio::reader& frames, tcp::acceptor& acceptor,
                                     std::uint64_t limit)
{
    tcp::socket client = co_await acceptor.async_accept(asio::use_awaitable);
    std::uint64_t sent = 0;
    while (limit == 0 || sent < limit) {
        auto [ec, frame] = co_await frames.async_read_frame(asio::as_tuple(asio::use_awaitable));
        if (ec == zerobuffer::errc::writer_disconnected)
            break; // the writer left: everything it wrote went out
        if (ec)
            throw boost::system::system_error(ec); // writer_dead, sequence_error, ...
        const auto size = static_cast<std::uint32_t>(frame.size());
        const std::array<unsigned char, 4> length{
            static_cast<unsigned char>(size), static_cast<unsigned char>(size >> 8),
            static_cast<unsigned char>(size >> 16), static_cast<unsigned char>(size >> 24)};
        const std::array<asio::const_buffer, 2> message{asio::buffer(length),
                                                        asio::buffer(frame.data(), frame.size())};
        co_await asio::async_write(client, message, asio::use_awaitable);
        ++sent;
    } // each frame is released here, after the socket took it
    std::cout << "forwarded " << sent << " frames" << std::endl;
}

int main(int argc, char** argv)
{
    const std::string name = argc > 1 ? argv[1] : "quickstart_forward";
    const std::uint64_t limit = argc > 2 ? std::strtoull(argv[2], nullptr, 10) : 0;

    asio::io_context io;
    zerobuffer::asio::reader frames(io, name);
    tcp::acceptor acceptor(io, tcp::endpoint(asio::ip::address_v4::loopback(), 0));
    std::cout << "forwarding " << name << " to port " << acceptor.local_endpoint().port()
              << std::endl;
    asio::co_spawn(io, forward(frames, acceptor, limit), [](std::exception_ptr failure) {
        if (failure)
            std::rethrow_exception(failure); // out of run(): the program fails
    });
    io.run();
}
