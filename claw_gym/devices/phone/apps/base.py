"""An app: a package name, an icon, the services it needs, and its views.

A view is a method ``view_<name>(phone, screen) -> Page``; it reads service state
to draw, and its handlers change the world only through ``phone.call`` (that is
``World.call(..., source="gui")``: validated and audited like any other door).

The phone an app sees is a small public API (see :class:`~claw_gym.devices.phone.device.SimPhone`):
reads ``shown(service)`` (drawn records, noted as seen), ``service(name)``, ``has_service(name)``,
``settings()``, ``contacts()``, ``lookup(number)``, ``name_for(number)``, ``app(package, kind)``
(another app, typed); the one door ``call(call, args)``;
navigation ``push``, ``pop``, ``foreground``, ``open_screen``, ``open_app_view``, ``open_thread``, ``focus``,
``clear_field``, ``ask``; and ``changed()`` after an app edits its own screen's fields or view.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from ..layout import Page
from ..widgets import Handler, Node, Screen

if TYPE_CHECKING:
    from ..device import SimPhone


class App:
    package: ClassVar[str] = ""
    label: ClassVar[str] = ""
    glyph: ClassVar[str] = ""  # letters on the icon
    color: ClassVar[tuple[int, int, int]] = (26, 115, 232)
    needs: ClassVar[tuple[str, ...]] = ()  # services that must exist in the world

    def installed(self, services: Any) -> bool:
        return all(s in services for s in self.needs)

    def home(self) -> Screen:
        return Screen(self.package, "main")

    def page(self, phone: SimPhone, screen: Screen, title: str, *, back: bool = True) -> Page:
        return Page(phone, screen, title, self.color, back=back)

    def build(self, phone: SimPhone, screen: Screen) -> tuple[list[Node], Handler | None]:
        """The screen's nodes and its enter-key action (the phone runs it when enter is pressed)."""
        view = getattr(self, f"view_{screen.view}", None)
        if view is None:  # a stale screen (cannot happen through the UI); show the app's start
            screen.view, screen.params = "main", {}
            view = self.view_main
        page = view(phone, screen)
        return page.finish(), page.on_enter

    def view_main(self, phone: SimPhone, screen: Screen) -> Page:
        raise NotImplementedError

    def record_page(
        self, phone: SimPhone, screen: Screen, service: str, table: str, title: str, gone: str
    ) -> tuple[dict[str, Any] | None, Page]:
        """A detail view's record (by ``screen.params['id']``) and its page; a vanished record says so."""
        rec = phone.shown(service).table(table).get(screen.params["id"])
        page = self.page(phone, screen, title)
        if rec is None:
            page.empty(gone)
        return rec, page

    def open(self, phone: SimPhone, view: str, **params: Any) -> None:
        """Push a view of this app onto the back stack."""
        phone.push(Screen(self.package, view, params))

    def submit(self, phone: SimPhone, call: str, args: dict[str, Any], toast: str, *, pop: int = 1) -> str:
        """Run a service call from a form; on success leave the form and say so."""
        phone.call(call, args)
        for _ in range(pop):
            phone.pop()
        return toast
