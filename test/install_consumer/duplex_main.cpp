// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

// Built against an installed zerobuffer: a duplex server and its client
// (zerobuffer::duplex) answer requests in order through a thread pool.
// Exits non-zero on a wrong result.

#include <zerobuffer/duplex.hpp>
#include <zerobuffer/testing/buffer_naming_service.hpp>

#include <chrono>
#include <iostream>
#include <string>
#include <vector>

int main()
{
    namespace duplex = zerobuffer::duplex;
    zerobuffer::testing::buffer_naming_service names;
    const std::string name = names.get_buffer_name("consumer_duplex");
    duplex::server_options so;
    so.request.payload_size = 64 * 1024;
    duplex::server server(name, so);
    server.start(
        [](const duplex::request& req) {
            std::string text(reinterpret_cast<const char*>(req.data()), req.size());
            return "echo " + text;
        },
        duplex::processing::thread_pool(2));
    duplex::client_options co;
    co.response.payload_size = 64 * 1024;
    duplex::client client(name, co);
    int failures = 0;
    for (int i = 1; i <= 20; ++i) {
        const std::string body = "request " + std::to_string(i);
        auto response = client.request(body, std::chrono::seconds(5));
        const std::string got(reinterpret_cast<const char*>(response.data()), response.size());
        if (got != "echo " + body || response.sequence() != static_cast<std::uint64_t>(i)) {
            std::cerr << "install_consumer duplex: FAILED: request " << i << " got '" << got
                      << "'\n";
            ++failures;
        }
    }
    client.close();
    server.stop();
    if (failures == 0) {
        std::cout << "install_consumer duplex: ok\n";
    }
    return failures == 0 ? 0 : 1;
}
