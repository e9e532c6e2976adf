#pragma once

// Test entry point shared by every suite: offscreen unless the caller chose a
// platform, so GUI tests run on CI machines without a display. The application
// type (QCoreApplication / QGuiApplication / QApplication) follows the Qt
// modules the suite links, as with QTEST_MAIN.

#include <QtTest>

inline void nodescopeUseOffscreenUnlessSet()
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
}

#define NODESCOPE_TEST_MAIN(TestObject)                                                                      \
    QTEST_MAIN_WRAPPER(TestObject, nodescopeUseOffscreenUnlessSet(); QTEST_MAIN_SETUP())
