from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from .models import Project


def home(request):
    if request.user.is_authenticated:
        return redirect("dashboard")
    return redirect("account_signup")


@login_required
def dashboard(request):
    projects = Project.objects.filter(workspace=request.workspace)[:50]
    return render(request, "studio/dashboard.html", {"projects": projects})
