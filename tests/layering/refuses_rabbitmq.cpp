// A domain/ file that includes what domain/ may not (tests/layering/CMakeLists.txt).
#include <amqp.h>
