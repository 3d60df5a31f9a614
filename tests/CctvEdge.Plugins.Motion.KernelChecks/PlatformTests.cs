using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;

namespace CctvEdge.Plugins.Motion.Tests;

/// <summary>
/// That the kernel tests ran where they were meant to: with 128-bit vectors in hardware, and, when the runner names
/// the architecture (<c>CCTVEDGE_EXPECT_ARCH=Arm64</c> under qemu), on that architecture with NEON.
/// </summary>
public sealed class PlatformTests
{
    [Fact]
    public void Vectors_AreInHardware_OnTheExpectedArchitecture()
    {
        Assert.True(Vector128.IsHardwareAccelerated, "128-bit vectors are emulated: the vector kernels' paths were not the hardware's");
        if (Environment.GetEnvironmentVariable("CCTVEDGE_EXPECT_ARCH") is { Length: > 0 } expected)
        {
            Assert.Equal(Enum.Parse<Architecture>(expected), RuntimeInformation.ProcessArchitecture);
            Assert.Equal(expected == nameof(Architecture.Arm64), AdvSimd.IsSupported);
        }
    }
}
