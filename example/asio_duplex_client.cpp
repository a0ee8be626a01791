// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

// Request and response from a coroutine: connects to the channel
// "quickstart_echo" (run duplex_echo_server first) without blocking its
// io_context, has three requests outstanding at once, prints each response
// with the sequence number it answers, then awaits one more on its own.

#include <zerobuffer/asio.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <chrono>
#include <iostream>
#include <span>
#include <string_view>

namespace asio = boost::asio;
using namespace asio::experimental::awaitable_operators;

static std::span<const std::byte> bytes(std::string_view text)
{
    return std::as_bytes(std::span(text));
}

static void print(const zerobuffer::frame& response)
{
    std::cout << "response " << response.sequence() << ": "
              << std::string_view(reinterpret_cast<const char*>(response.data()), response.size())
              << '\n';
}

static asio::awaitable<void> talk()
{
    zerobuffer::duplex::client_options options;
    options.request.connect_timeout = std::chrono::seconds(10); // wait for the server
    zerobuffer::asio::client client = co_await zerobuffer::asio::async_connect_client(
        co_await asio::this_coro::executor, "quickstart_echo", options, asio::use_awaitable);

    // Three requests at once; each completes with its own response.
    auto [first, second, third] =
        co_await (client.async_request(bytes("hello #1"), asio::use_awaitable) &&
                  client.async_request(bytes("hello #2"), asio::use_awaitable) &&
                  client.async_request(bytes("hello #3"), asio::use_awaitable));
    print(first);
    print(second);
    print(third);

    print(co_await client.async_request(bytes("async"), asio::use_awaitable));
} // the client's destructor detaches and removes its response buffer

int main()
{
    asio::io_context io;
    asio::co_spawn(io, talk(), [](std::exception_ptr failure) {
        if (failure)
            std::rethrow_exception(failure); // a zerobuffer::error: out of run()
    });
    io.run();
}
