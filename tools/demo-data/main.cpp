// microstore-demo-data: fills a running microstore with demo data through its public API, as a
// shop's own tooling would: signs in as the administrator, creates the demo catalogue (skipping
// products whose SKU exists), gives the administrator the STOCK_OPERATOR role and stocks every
// product that never had stock (a few stay sold out), registers the demo customer (unless
// registered) and tops up their account once (a fixed Idempotency-Key). Idempotent, so
// `./microstore up` runs it every time.
//
//   MICROSTORE_ADMIN_PASSWORD=… MICROSTORE_CUSTOMER_PASSWORD=… microstore-demo-data
//     --gateway http://127.0.0.1:18000 --admin-email admin@microstore.local
//     --customer-email customer@microstore.local [--products 300]
#include <CLI/CLI.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/url/parse.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdlib>
#include <iostream>

#include "demo_catalogue.hpp"
#include "platform/http/client.hpp"

namespace {

using namespace microstore;
namespace asio = boost::asio;
using nlohmann::json;

struct Options {
  std::string gateway;
  std::string admin_email;
  std::string customer_email;
  std::size_t products = 300;
};

struct Gateway {
  http::Client& client;
  std::string host;
  std::uint16_t port;

  asio::awaitable<http::ClientResponse> Send(http::Method method, std::string target, const json& body,
                                             const std::string& token = "", const std::string& idempotency_key = "") {
    http::ClientRequest request;
    if (!idempotency_key.empty()) request.headers.Set("Idempotency-Key", idempotency_key);
    request.method = method;
    request.target = std::move(target);
    if (!body.is_null()) {
      request.body = body.dump();
      request.headers.Set("Content-Type", "application/json");
    }
    if (!token.empty()) request.headers.Set("Authorization", "Bearer " + token);
    // Right after `up` the gateway may not have seen a service healthy yet (503: retry shortly),
    // and it limits each client's rate (429 with Retry-After): a polite client waits and retries.
    asio::steady_timer pause(co_await asio::this_coro::executor);
    for (int attempt = 1;; ++attempt) {
      auto response = co_await client.Send(host, port, request);
      if ((response.status != 503 && response.status != 429) || attempt == 120) co_return response;
      std::chrono::milliseconds wait(500);
      if (const auto retry_after = response.headers.Get("Retry-After")) {
        wait = std::chrono::seconds(std::clamp(std::atoi(std::string(*retry_after).c_str()), 1, 10));
      }
      pause.expires_after(wait);
      co_await pause.async_wait(asio::use_awaitable);
    }
  }
};

std::string RequiredEnv(const char* name) {
  const char* value = std::getenv(name);
  if (value == nullptr || *value == '\0') throw std::runtime_error(std::string(name) + " is not set");
  return value;
}

// The demo customer's first top-up: 100,000.00 RUB.
constexpr std::int64_t kDemoDepositMinor = 10'000'000;

json Body(const http::ClientResponse& response, const std::string& what) {
  if (response.status != 200 && response.status != 201) {
    throw std::runtime_error(what + ": HTTP " + std::to_string(response.status) + " " + response.body);
  }
  return json::parse(response.body);
}

asio::awaitable<std::string> SignIn(Gateway& gateway, const std::string& email, const std::string& password) {
  const json credentials = {{"email", email}, {"password", password}};
  const auto signed_in = co_await gateway.Send(http::Method::kPost, "/api/v1/identity/token", credentials);
  co_return Body(signed_in, "signing in as " + email).at("access_token").get<std::string>();
}

// Every product that never had stock gets some (1 in 10 stays sold out, so the "in stock" filter
// shows something). Stock learns of products from catalog's events, so it may lag a moment.
asio::awaitable<void> StockTheCatalogue(Gateway& gateway, const Options& options, const std::string& admin_password,
                                        const std::string& admin_token) {
  // g++ 12 mishandles temporaries around a co_await inside a call's arguments: one await per
  // statement, into a named value.
  const json no_body;
  const auto me_response = co_await gateway.Send(http::Method::kGet, "/api/v1/identity/users/me", no_body, admin_token);
  const json me = Body(me_response, "reading the administrator");
  const std::string grant = "/api/v1/identity/users/" + me.at("id").get<std::string>() + "/roles/STOCK_OPERATOR";
  const auto granted = co_await gateway.Send(http::Method::kPut, grant, no_body, admin_token);
  Body(granted, "granting STOCK_OPERATOR");
  const std::string token = co_await SignIn(gateway, options.admin_email, admin_password);

  std::vector<std::string> products;
  std::string cursor;
  do {
    const std::string listing = "/api/v1/catalog/products?sort=name&limit=100" + (cursor.empty() ? "" : "&cursor=" + cursor);
    const auto listed = co_await gateway.Send(http::Method::kGet, listing, no_body);
    const json page = Body(listed, "listing the catalogue");
    for (const auto& product : page.at("items")) products.push_back(product.at("id").get<std::string>());
    cursor = page.value("next_cursor", "");
  } while (!cursor.empty());

  asio::steady_timer pause(co_await asio::this_coro::executor);
  // Stock learns of a product from catalog's ProductCreated, a moment after it was created; one
  // created before stock ever ran (an older .run) it never hears of, and that one is skipped.
  auto patience = std::chrono::steady_clock::now() + std::chrono::seconds(15);
  int stocked = 0;
  int unknown = 0;
  for (std::size_t i = 0; i < products.size(); ++i) {
    const std::string item_path = "/api/v1/stock/items/" + products[i];
    http::ClientResponse item = co_await gateway.Send(http::Method::kGet, item_path, no_body);
    while (item.status == 404 && std::chrono::steady_clock::now() < patience) {
      pause.expires_after(std::chrono::milliseconds(100));
      co_await pause.async_wait(asio::use_awaitable);
      item = co_await gateway.Send(http::Method::kGet, item_path, no_body);
    }
    if (item.status == 404) {
      ++unknown;
      continue;
    }
    const json level = Body(item, "reading the stock of " + products[i]);
    const bool ever_stocked = level.value("free", 0) + level.value("reserved", 0) + level.value("shipped", 0) > 0;
    if (ever_stocked || i % 10 == 9) continue;
    const json restock = {{"quantity", 5 + static_cast<int>(i % 46)}, {"reason", "demo stock"}};
    const std::string restock_path = item_path + "/restock";
    const auto restocked = co_await gateway.Send(http::Method::kPost, restock_path, restock, token);
    Body(restocked, "restocking " + products[i]);
    ++stocked;
  }
  if (unknown > 0) {
    std::cout << "demo stock: " << unknown
              << " products unknown to stock (created before it ran: ./microstore down --purge starts afresh)\n";
  }
  std::cout << "demo stock: " << stocked << " products restocked\n";
}

asio::awaitable<int> Load(Options options) {
  const auto url = boost::urls::parse_uri(options.gateway);
  if (!url || url->scheme() != "http" || !url->has_port()) {
    throw std::runtime_error("--gateway must be http://host:port, not '" + options.gateway + "'");
  }
  http::Client client(co_await asio::this_coro::executor);
  Gateway gateway{client, std::string(url->host()), static_cast<std::uint16_t>(url->port_number())};

  const std::string admin_password = RequiredEnv("MICROSTORE_ADMIN_PASSWORD");
  const json credentials = {{"email", options.admin_email}, {"password", admin_password}};
  const auto signed_in = co_await gateway.Send(http::Method::kPost, "/api/v1/identity/token", credentials);
  if (signed_in.status != 200) {
    throw std::runtime_error("signing in as " + options.admin_email + ": HTTP " + std::to_string(signed_in.status) + " " +
                             signed_in.body);
  }
  const std::string token = json::parse(signed_in.body).at("access_token").get<std::string>();

  int created = 0, existing = 0;
  for (const auto& product : demo::DemoProducts(options.products)) {
    const auto answer =
        co_await gateway.Send(http::Method::kPost, "/api/v1/catalog/products", demo::ToCreateRequest(product), token);
    if (answer.status == 201) {
      ++created;
    } else if (answer.status == 409) {
      ++existing;
    } else {
      throw std::runtime_error("creating a demo product: HTTP " + std::to_string(answer.status) + " " + answer.body);
    }
  }
  std::cout << "demo catalogue: " << created << " products created, " << existing << " already there\n";
  co_await StockTheCatalogue(gateway, options, admin_password, token);

  const json customer = {{"email", options.customer_email},
                         {"password", RequiredEnv("MICROSTORE_CUSTOMER_PASSWORD")},
                         {"first_name", "Daria"},
                         {"last_name", "Sokolova"},
                         {"phone", "+79990001122"},
                         {"channels", {"EMAIL"}}};
  const auto registered = co_await gateway.Send(http::Method::kPost, "/api/v1/identity/register", customer);
  if (registered.status != 201 && registered.status != 409) {
    throw std::runtime_error("registering the demo customer: HTTP " + std::to_string(registered.status) + " " +
                             registered.body);
  }
  std::cout << "demo customer " << options.customer_email << (registered.status == 201 ? " registered\n" : " already registered\n");

  const std::string customer_token =
      co_await SignIn(gateway, options.customer_email, RequiredEnv("MICROSTORE_CUSTOMER_PASSWORD"));
  const json deposit = {{"amount_minor", kDemoDepositMinor}};
  const auto topped_up = co_await gateway.Send(http::Method::kPost, "/api/v1/payment/accounts/me/deposits", deposit,
                                               customer_token, "demo-customer-welcome-deposit");
  if (topped_up.status != 201 && topped_up.status != 200) {
    throw std::runtime_error("topping up the demo customer: HTTP " + std::to_string(topped_up.status) + " " +
                             topped_up.body);
  }
  std::cout << "demo customer balance topped up" << (topped_up.status == 201 ? "\n" : " (already)\n");
  co_return 0;
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  CLI::App app{"Loads the demo catalogue and the demo customer into a running microstore through its gateway."};
  app.add_option("--gateway", options.gateway, "the gateway's base URL, http://host:port")->required();
  app.add_option("--admin-email", options.admin_email, "an administrator (password: MICROSTORE_ADMIN_PASSWORD)")
      ->required();
  app.add_option("--customer-email", options.customer_email,
                 "the demo customer to register (password: MICROSTORE_CUSTOMER_PASSWORD)")
      ->required();
  app.add_option("--products", options.products, "how many demo products")->check(CLI::Range(1, 100000));
  CLI11_PARSE(app, argc, argv);
  try {
    asio::io_context io;
    auto result = asio::co_spawn(io, Load(options), asio::use_future);
    io.run();
    return result.get();
  } catch (const std::exception& e) {
    std::cerr << "microstore-demo-data: " << e.what() << '\n';
    return 1;
  }
}
