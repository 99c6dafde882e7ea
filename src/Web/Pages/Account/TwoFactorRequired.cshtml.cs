using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Confide.Web.Pages.Account;

public sealed class TwoFactorRequiredModel : PageModel
{
    public void OnGet()
    {
    }
}
