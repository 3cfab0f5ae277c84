#pragma once

// One callable made of several lambdas, for std::visit over an outcome variant: each alternative
// picks its own lambda.
//
//   std::visit(core::Overloaded{[](const Product& product) { … }, [](SkuTaken) { … }}, outcome);
namespace microstore::core {

template <typename... Ts>
struct Overloaded : Ts... {
  using Ts::operator()...;
};
template <typename... Ts>
Overloaded(Ts...) -> Overloaded<Ts...>;

}  // namespace microstore::core
