namespace CctvEdge.Plugins.Hosting.Tests;

public sealed class IdentifierTests
{
    [Theory]
    [InlineData("barn", true)]
    [InlineData("barn-pi_2", true)]
    [InlineData("0yard", true)]
    [InlineData("", false)]
    [InlineData("-barn", false)]
    [InlineData("Barn", false)]
    [InlineData("../etc", false)]
    [InlineData("barn pi", false)]
    [InlineData("barn.yard", false)]
    public void IsValid_FollowsTheRule(string value, bool expected) => Assert.Equal(expected, Identifier.IsValid(value));

    [Fact]
    public void IsValid_SixtyFourCharacters_TooLong()
    {
        Assert.True(Identifier.IsValid(new string('a', 63)));
        Assert.False(Identifier.IsValid(new string('a', 64)));
    }
}
