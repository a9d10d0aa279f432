"""The sign-in page, with the same limits on failed attempts as the API's token endpoint."""

from django.contrib.auth.views import LoginView

from anju.people.signin import count_failed_signin, signin_refused


class SignInView(LoginView):
    redirect_authenticated_user = True

    def post(self, request, *args, **kwargs):
        # Refused before the password is even checked, so that a guess costs nothing but time.
        refused = signin_refused(request, request.POST.get("username", ""))
        if refused:
            form = self.get_form_class()(request, initial={"username": request.POST.get("username", "")[:150]})
            return self.render_to_response(self.get_context_data(form=form, refused=refused), status=429)
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form):
        count_failed_signin(self.request, form.data.get("username", ""))
        return super().form_invalid(form)
