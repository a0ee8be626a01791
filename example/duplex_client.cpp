// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

// Request and response, client side: sends five requests to the channel
// "quickstart_echo" (run duplex_echo_server first), the first three
// pipelined, and prints each response with the sequence number it answers.

#include <zerobuffer/duplex.hpp>

#include <chrono>
#include <iostream>
#include <span>
#include <string>
#include <string_view>

static std::string_view text(std::span<const std::byte> bytes)
{
    return {reinterpret_cast<const char*>(bytes.data()), bytes.size()};
}

int main()
{
    using namespace std::chrono_literals;
    zerobuffer::duplex::client_options options;
    options.request.connect_timeout = 10s; // wait for the server to start
    zerobuffer::duplex::client client("quickstart_echo", options);

    // Pipelined: three requests out, then their responses, in order.
    for (int i = 1; i <= 3; ++i) {
        client.send_request(std::string("hello #") + std::to_string(i));
    }
    for (int i = 1; i <= 3; ++i) {
        zerobuffer::frame response = client.receive_response(5s);
        std::cout << "response " << response.sequence() << ": " << text(response.bytes()) << '\n';
    }

    // One at a time: request() sends and waits for this request's response.
    for (const char* word : {"zero", "copy"}) {
        zerobuffer::frame response = client.request(std::string(word), 5s);
        std::cout << "response " << response.sequence() << ": " << text(response.bytes()) << '\n';
    }
} // the client's destructor detaches and removes its response buffer
