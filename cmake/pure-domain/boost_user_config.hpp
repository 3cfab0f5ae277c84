// BOOST_USER_CONFIG of a service's domain/ target: every Boost header reads this first.
#error "a service's domain/ is pure: Boost (Asio, Beast, URL, ...) belongs in api/ or infra/ (docs/architecture.md, One shape)"
