#include "demo_catalogue.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>

#include "catalog/api/json.hpp"

namespace microstore::demo {
namespace {

using catalog::Dimensions;
using catalog::kMaxMeasure;

// Russian adjectives agree with the noun: masculine, feminine, neuter, plural.
enum class Gender { kMasculine, kFeminine, kNeuter, kPlural };

struct Item {
  std::string_view english;  // lower case, follows the modifier: "Oak dining chair"
  std::string_view russian;
  Gender gender;
  std::int64_t price_rub;  // typical price
  std::int64_t weight_grams;
  Dimensions size_mm;
};

struct Modifier {
  std::string_view english;
  std::array<std::string_view, 4> russian;  // by Gender
  std::string_view tag;
  double price_factor;
};

struct Category {
  std::string_view tag;
  std::string_view sku_prefix;
  std::string_view english;
  std::string_view russian;
  std::vector<Item> items;
  std::vector<Modifier> modifiers;
  std::array<std::string_view, 3> features_english;
  std::array<std::string_view, 3> features_russian;
};

using enum Gender;

const std::vector<Category>& Categories() {
  static const std::vector<Category> categories = {
      {"furniture",
       "FUR",
       "furniture",
       "Мебель",
       {{"dining chair", "обеденный стул", kMasculine, 6490, 6200, {450, 520, 900}},
        {"armchair", "кресло", kNeuter, 18990, 14500, {780, 820, 960}},
        {"bookshelf", "книжная полка", kFeminine, 9990, 21000, {800, 300, 1800}},
        {"coffee table", "журнальный столик", kMasculine, 8490, 12000, {1000, 550, 450}},
        {"wardrobe", "шкаф", kMasculine, 34990, 68000, {1200, 600, 2100}},
        {"stool", "табурет", kMasculine, 2490, 3100, {350, 350, 450}},
        {"chest of drawers", "комод", kMasculine, 21990, 42000, {900, 480, 850}}},
       {{"Oak", {"Дубовый", "Дубовая", "Дубовое", "Дубовые"}, "oak", 1.4},
        {"Pine", {"Сосновый", "Сосновая", "Сосновое", "Сосновые"}, "pine", 0.8},
        {"Walnut", {"Ореховый", "Ореховая", "Ореховое", "Ореховые"}, "walnut", 1.7},
        {"Birch", {"Берёзовый", "Берёзовая", "Берёзовое", "Берёзовые"}, "birch", 1.0},
        {"Metal", {"Металлический", "Металлическая", "Металлическое", "Металлические"}, "metal", 0.9}},
       {"Sturdy construction for everyday use.", "Finished with natural oil and wax.",
        "Delivered flat-packed; assembly takes about thirty minutes."},
       {"Прочная конструкция для ежедневного использования.", "Покрыто натуральным маслом и воском.",
        "Поставляется в разобранном виде, сборка занимает около получаса."}},
      {"kitchen",
       "KIT",
       "kitchen",
       "Кухня",
       {{"frying pan", "сковорода", kFeminine, 2990, 1800, {280, 280, 60}},
        {"saucepan", "кастрюля", kFeminine, 3490, 2100, {240, 240, 160}},
        {"kettle", "чайник", kMasculine, 2790, 1100, {220, 160, 250}},
        {"cutting board", "разделочная доска", kFeminine, 1290, 900, {400, 260, 20}},
        {"knife set", "набор ножей", kMasculine, 5990, 1500, {350, 120, 250}},
        {"mixing bowl", "миска", kFeminine, 990, 600, {260, 260, 120}}},
       {{"Cast-iron", {"Чугунный", "Чугунная", "Чугунное", "Чугунные"}, "cast-iron", 1.5},
        {"Stainless steel", {"Стальной", "Стальная", "Стальное", "Стальные"}, "steel", 1.2},
        {"Ceramic", {"Керамический", "Керамическая", "Керамическое", "Керамические"}, "ceramic", 1.0},
        {"Enamel", {"Эмалированный", "Эмалированная", "Эмалированное", "Эмалированные"}, "enamel", 0.9},
        {"Bamboo", {"Бамбуковый", "Бамбуковая", "Бамбуковое", "Бамбуковые"}, "bamboo", 0.7}},
       {"Dishwasher safe.", "Works on gas, electric and induction hobs.", "Made to last for decades."},
       {"Можно мыть в посудомоечной машине.", "Подходит для газовых, электрических и индукционных плит.",
        "Прослужит десятилетия."}},
      {"lighting",
       "LGT",
       "lighting",
       "Освещение",
       {{"table lamp", "настольная лампа", kFeminine, 3990, 1600, {250, 250, 450}},
        {"floor lamp", "торшер", kMasculine, 8990, 5200, {400, 400, 1600}},
        {"pendant light", "подвесной светильник", kMasculine, 5490, 1900, {350, 350, 300}},
        {"wall sconce", "бра", kNeuter, 2990, 900, {150, 200, 250}},
        {"night light", "ночник", kMasculine, 1490, 400, {120, 120, 180}}},
       {{"Brass", {"Латунный", "Латунная", "Латунное", "Латунные"}, "brass", 1.6},
        {"Glass", {"Стеклянный", "Стеклянная", "Стеклянное", "Стеклянные"}, "glass", 1.1},
        {"Rattan", {"Ротанговый", "Ротанговая", "Ротанговое", "Ротанговые"}, "rattan", 1.0},
        {"Minimalist",
         {"Минималистичный", "Минималистичная", "Минималистичное", "Минималистичные"},
         "minimal",
         0.9},
        {"Vintage", {"Винтажный", "Винтажная", "Винтажное", "Винтажные"}, "vintage", 1.3}},
       {"Takes a standard E27 bulb.", "Warm, even light for a cosy evening.", "Cable length 1.8 m."},
       {"Под стандартную лампу E27.", "Тёплый ровный свет для уютного вечера.", "Длина провода 1,8 м."}},
      {"textiles",
       "TEX",
       "home textiles",
       "Текстиль",
       {{"blanket", "плед", kMasculine, 3490, 1400, {1500, 2000, 10}},
        {"pillow", "подушка", kFeminine, 1990, 800, {500, 700, 150}},
        {"bath towel", "банное полотенце", kNeuter, 1290, 600, {700, 1400, 5}},
        {"tablecloth", "скатерть", kFeminine, 2490, 700, {1500, 2200, 2}},
        {"rug", "ковёр", kMasculine, 7990, 4500, {1600, 2300, 15}}},
       {{"Linen", {"Льняной", "Льняная", "Льняное", "Льняные"}, "linen", 1.3},
        {"Wool", {"Шерстяной", "Шерстяная", "Шерстяное", "Шерстяные"}, "wool", 1.5},
        {"Cotton", {"Хлопковый", "Хлопковая", "Хлопковое", "Хлопковые"}, "cotton", 1.0},
        {"Velvet", {"Бархатный", "Бархатная", "Бархатное", "Бархатные"}, "velvet", 1.4},
        {"Knitted", {"Вязаный", "Вязаная", "Вязаное", "Вязаные"}, "knitted", 1.2}},
       {"Machine washable at 40 °C.", "Soft to the touch and breathable.", "Dyed with skin-friendly dyes."},
       {"Машинная стирка при 40 °C.", "Мягкий на ощупь и дышащий материал.",
        "Окрашено безопасными для кожи красителями."}},
      {"garden",
       "GRD",
       "garden",
       "Сад",
       {{"watering can", "лейка", kFeminine, 1190, 700, {450, 180, 300}},
        {"flower pot", "цветочный горшок", kMasculine, 690, 1200, {220, 220, 200}},
        {"garden bench", "садовая скамейка", kFeminine, 12990, 18000, {1500, 600, 850}},
        {"pruning shears", "секатор", kMasculine, 1590, 300, {210, 60, 25}},
        {"hose", "шланг", kMasculine, 2290, 2600, {350, 350, 120}},
        {"bird feeder", "кормушка для птиц", kFeminine, 890, 500, {200, 200, 300}}},
       {{"Galvanised", {"Оцинкованный", "Оцинкованная", "Оцинкованное", "Оцинкованные"}, "galvanised", 1.2},
        {"Terracotta", {"Терракотовый", "Терракотовая", "Терракотовое", "Терракотовые"}, "terracotta", 1.0},
        {"Wooden", {"Деревянный", "Деревянная", "Деревянное", "Деревянные"}, "wooden", 1.1},
        {"Compact", {"Компактный", "Компактная", "Компактное", "Компактные"}, "compact", 0.8}},
       {"Weatherproof: stays outside all year.", "Light enough to carry around the garden.",
        "A gift for every gardener."},
       {"Не боится непогоды и может круглый год стоять на улице.", "Достаточно лёгкий, чтобы носить по саду.",
        "Подарок для любого садовода."}},
      {"electronics",
       "ELC",
       "electronics",
       "Электроника",
       {{"wireless speaker", "беспроводная колонка", kFeminine, 4990, 600, {180, 80, 80}},
        {"headphones", "наушники", kPlural, 6990, 250, {180, 160, 80}},
        {"power bank", "внешний аккумулятор", kMasculine, 2490, 300, {140, 70, 15}},
        {"smart watch", "умные часы", kPlural, 12990, 60, {45, 38, 11}},
        {"keyboard", "клавиатура", kFeminine, 3990, 700, {440, 130, 30}},
        {"webcam", "веб-камера", kFeminine, 3490, 150, {95, 60, 50}}},
       {{"Portable", {"Портативный", "Портативная", "Портативное", "Портативные"}, "portable", 1.0},
        {"Waterproof",
         {"Водонепроницаемый", "Водонепроницаемая", "Водонепроницаемое", "Водонепроницаемые"},
         "waterproof",
         1.3},
        {"Compact", {"Компактный", "Компактная", "Компактное", "Компактные"}, "compact", 0.9},
        {"Ergonomic", {"Эргономичный", "Эргономичная", "Эргономичное", "Эргономичные"}, "ergonomic", 1.2}},
       {"Connects over Bluetooth 5.3.", "Charges over USB-C in two hours.", "Two-year warranty."},
       {"Подключается по Bluetooth 5.3.", "Заряжается через USB-C за два часа.", "Гарантия два года."}},
      {"books",
       "BOK",
       "books",
       "Книги",
       {{"cookbook", "кулинарная книга", kFeminine, 1490, 900, {260, 200, 30}},
        {"atlas", "атлас", kMasculine, 2290, 1300, {330, 240, 20}},
        {"novel", "роман", kMasculine, 790, 450, {210, 140, 30}},
        {"encyclopedia", "энциклопедия", kFeminine, 2990, 1800, {290, 220, 40}},
        {"travel guide", "путеводитель", kMasculine, 990, 350, {200, 120, 20}}},
       {{"Illustrated",
         {"Иллюстрированный", "Иллюстрированная", "Иллюстрированное", "Иллюстрированные"},
         "illustrated",
         1.3},
        {"Classic", {"Классический", "Классическая", "Классическое", "Классические"}, "classic", 1.0},
        {"Pocket", {"Карманный", "Карманная", "Карманное", "Карманные"}, "pocket", 0.6},
        {"Gift", {"Подарочный", "Подарочная", "Подарочное", "Подарочные"}, "gift", 1.8}},
       {"Hardcover, printed on acid-free paper.", "A bestseller for three years running.",
        "With a foreword by the author."},
       {"Твёрдая обложка, бескислотная бумага.", "Бестселлер три года подряд.", "С предисловием автора."}},
      {"toys",
       "TOY",
       "toys",
       "Игрушки",
       {{"puzzle", "пазл", kMasculine, 890, 500, {300, 200, 50}},
        {"building set", "конструктор", kMasculine, 3990, 1200, {380, 260, 80}},
        {"toy car", "игрушечная машинка", kFeminine, 690, 200, {150, 70, 60}},
        {"board game", "настольная игра", kFeminine, 2490, 1100, {300, 300, 70}},
        {"spinning top", "юла", kFeminine, 390, 100, {80, 80, 90}}},
       {{"Wooden", {"Деревянный", "Деревянная", "Деревянное", "Деревянные"}, "wooden", 1.3},
        {"Educational", {"Развивающий", "Развивающая", "Развивающее", "Развивающие"}, "educational", 1.1},
        {"Magnetic", {"Магнитный", "Магнитная", "Магнитное", "Магнитные"}, "magnetic", 1.2},
        {"Travel", {"Дорожный", "Дорожная", "Дорожное", "Дорожные"}, "travel", 0.8}},
       {"For children aged three and up.", "Safe, non-toxic materials.", "Develops fine motor skills."},
       {"Для детей от трёх лет.", "Безопасные нетоксичные материалы.", "Развивает мелкую моторику."}},
      {"sports",
       "SPT",
       "sports",
       "Спорт",
       {{"yoga mat", "коврик для йоги", kMasculine, 1990, 1200, {1830, 610, 6}},
        {"dumbbell set", "набор гантелей", kMasculine, 5990, 10000, {400, 200, 150}},
        {"water bottle", "бутылка для воды", kFeminine, 790, 250, {75, 75, 260}},
        {"backpack", "рюкзак", kMasculine, 4490, 900, {300, 180, 480}},
        {"jump rope", "скакалка", kFeminine, 590, 200, {300, 100, 50}},
        {"tennis racket", "теннисная ракетка", kFeminine, 6990, 300, {685, 260, 25}}},
       {{"Lightweight", {"Лёгкий", "Лёгкая", "Лёгкое", "Лёгкие"}, "lightweight", 1.1},
        {"Professional",
         {"Профессиональный", "Профессиональная", "Профессиональное", "Профессиональные"},
         "pro",
         1.6},
        {"Non-slip", {"Нескользящий", "Нескользящая", "Нескользящее", "Нескользящие"}, "non-slip", 1.0},
        {"Foldable", {"Складной", "Складная", "Складное", "Складные"}, "foldable", 1.1}},
       {"Built for daily training.", "Easy to clean after a workout.", "Fits in any sports bag."},
       {"Создан для ежедневных тренировок.", "Легко чистится после тренировки.",
        "Помещается в любую спортивную сумку."}},
      {"stationery",
       "STA",
       "stationery",
       "Канцелярия",
       {{"notebook", "блокнот", kMasculine, 590, 300, {210, 148, 15}},
        {"fountain pen", "перьевая ручка", kFeminine, 2990, 40, {140, 15, 15}},
        {"pencil case", "пенал", kMasculine, 790, 150, {210, 80, 50}},
        {"desk organiser", "органайзер для стола", kMasculine, 1490, 700, {300, 200, 120}},
        {"planner", "ежедневник", kMasculine, 1190, 400, {210, 150, 20}}},
       {{"Leather", {"Кожаный", "Кожаная", "Кожаное", "Кожаные"}, "leather", 1.8},
        {"Minimalist",
         {"Минималистичный", "Минималистичная", "Минималистичное", "Минималистичные"},
         "minimal",
         1.0},
        {"Pocket", {"Карманный", "Карманная", "Карманное", "Карманные"}, "pocket", 0.7},
        {"Premium", {"Премиальный", "Премиальная", "Премиальное", "Премиальные"}, "premium", 2.0}},
       {"Paper that takes fountain-pen ink without bleeding.", "A thoughtful gift for colleagues.",
        "Made in a small family workshop."},
       {"Бумага держит чернила перьевой ручки и не промокает.", "Хороший подарок коллегам.",
        "Сделано в небольшой семейной мастерской."}},
  };
  return categories;
}

// splitmix64: a tiny, well-mixed generator; seeded per product so product i never depends on
// how many came before it.
class Generator {
 public:
  explicit Generator(std::uint64_t seed) : state_(seed) {}
  std::uint64_t Next() {
    std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  // Uniform in [low, high].
  double Between(double low, double high) {
    return low + (high - low) * static_cast<double>(Next() >> 11) / static_cast<double>(1ull << 53);
  }
  bool Chance(double probability) { return Between(0.0, 1.0) < probability; }

 private:
  std::uint64_t state_;
};

std::string FormatKilograms(std::int64_t grams, bool russian) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f", static_cast<double>(grams) / 1000.0);
  std::string result = text;
  if (russian) {
    for (char& c : result) {
      if (c == '.') c = ',';
    }
  }
  return result;
}

NewProduct MakeProduct(std::size_t index) {
  const auto& categories = Categories();
  const Category& category = categories[index % categories.size()];
  const std::size_t n = index / categories.size();
  const Item& item = category.items[n % category.items.size()];
  const Modifier& modifier = category.modifiers[(n / category.items.size()) % category.modifiers.size()];
  Generator random(0xC0FFEEull * 1'000'003ull + index);
  const bool russian = random.Chance(0.5);

  NewProduct product;
  char sku[32];
  std::snprintf(sku, sizeof sku, "%s-%05zu", std::string(category.sku_prefix).c_str(), index + 1);
  product.sku = sku;
  const double scale = random.Between(0.85, 1.2);
  const auto measure = [&](std::int64_t base) {
    return std::clamp<std::int64_t>(
        static_cast<std::int64_t>(std::llround(static_cast<double>(base) * scale)), 1, kMaxMeasure);
  };
  product.weight_grams = measure(item.weight_grams);
  product.dimensions_mm = {measure(item.size_mm.length), measure(item.size_mm.width),
                           measure(item.size_mm.height)};
  // Shop prices end in 90: 6 490 RUB, not 6 487.
  const double rubles =
      static_cast<double>(item.price_rub) * modifier.price_factor * random.Between(0.85, 1.25);
  const std::int64_t hundreds = std::max<std::int64_t>(1, std::llround(rubles / 100.0));
  product.price_minor = (hundreds * 100 - 10) * 100;
  product.currency = "RUB";
  product.on_promotion = random.Chance(0.15);
  product.photo_url = "https://picsum.photos/seed/" + product.sku + "/400/300";
  product.tags = {std::string(category.tag), std::string(modifier.tag)};
  if (random.Chance(0.1)) product.tags.emplace_back("bestseller");
  if (random.Chance(0.1)) product.tags.emplace_back("new");

  const std::size_t feature = static_cast<std::size_t>(random.Next() % 3);
  const auto& d = product.dimensions_mm;
  const std::string size =
      std::to_string(d.length) + " × " + std::to_string(d.width) + " × " + std::to_string(d.height);
  if (russian) {
    product.name = std::string(modifier.russian[static_cast<std::size_t>(item.gender)]) + " " +
                   std::string(item.russian);
    product.description = product.name + " из нашей коллекции «" + std::string(category.russian) + "». " +
                          std::string(category.features_russian[feature]) + " Размеры " + size + " мм, вес " +
                          FormatKilograms(product.weight_grams, true) + " кг.";
  } else {
    product.name = std::string(modifier.english) + " " + std::string(item.english);
    product.description = product.name + " from our " + std::string(category.english) + " collection. " +
                          std::string(category.features_english[feature]) + " Size " + size + " mm, weight " +
                          FormatKilograms(product.weight_grams, false) + " kg.";
  }
  return product;
}

}  // namespace

std::vector<NewProduct> DemoProducts(std::size_t count) {
  std::vector<NewProduct> products;
  products.reserve(count);
  for (std::size_t i = 0; i < count; ++i) products.push_back(MakeProduct(i));
  return products;
}

nlohmann::json ToCreateRequest(const NewProduct& product) { return catalog::api::FieldsJson(product); }

}  // namespace microstore::demo
