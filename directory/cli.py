"""Command-line tasks: demo data and users (`flask --app wsgi ...`)."""
from __future__ import annotations

import click
from flask import Flask
from flask.cli import AppGroup
from sqlalchemy import select

from .extensions import db
from .models import User
from .validation import COMMON_PASSWORD, InvalidValue, check_email, is_common_password

demo_cli = AppGroup("demo", help="Demo and benchmark data.")
users_cli = AppGroup("users", help="User accounts.")


@demo_cli.command("load")
def demo_load() -> None:
    """Load the fictional demo area (does nothing if it is already there)."""
    from .demo.load import load_demo_area

    _, message = load_demo_area()
    click.echo(message)


@demo_cli.command("generate")
@click.option("--services", default=20000, show_default=True, type=click.IntRange(1, 200000))
@click.option("--seed", default=1, show_default=True, type=int)
def demo_generate(services: int, seed: int) -> None:
    """Generate a national-scale dataset for benchmarks (about 5 links per service)."""
    from .demo.generate import generate
    from .models import Area

    if db.session.scalar(select(Area.id).where(Area.slug.like(f"gen-{seed}-%")).limit(1)):
        raise click.ClickException(f"A dataset with seed {seed} is already in this database.")
    counts = generate(services=services, seed=seed)
    click.echo("Generated " + ", ".join(f"{n} {k}" for k, n in counts.items()) + ".")


@users_cli.command("create-admin")
@click.option("--email", prompt=True)
@click.option("--name", default="", help="Display name.")
@click.password_option(help="At least 10 characters, and not one of the most common passwords.")
def create_admin(email: str, name: str, password: str) -> None:
    """Create an administrator, or make an existing user one."""
    try:
        email = check_email(email)
    except InvalidValue as exc:
        raise click.BadParameter(str(exc), param_hint="--email") from exc
    if not email:
        raise click.BadParameter("Enter an email address", param_hint="--email")
    if is_common_password(password):
        raise click.BadParameter(COMMON_PASSWORD, param_hint="--password")
    if len(password) < 10:
        raise click.BadParameter("Use at least 10 characters", param_hint="--password")
    user = db.session.scalar(select(User).where(User.email == email))
    created = user is None
    if created:
        user = User(email=email, name=name or email.split("@")[0])
        db.session.add(user)
    user.is_admin = True
    user.set_password(password)
    db.session.commit()
    click.echo(f"{'Created' if created else 'Updated'} administrator {email}.")


def init_app(app: Flask) -> None:
    """Register the command groups."""
    app.cli.add_command(demo_cli)
    app.cli.add_command(users_cli)
